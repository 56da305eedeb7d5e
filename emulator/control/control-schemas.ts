import { z } from "zod";
import { isPermissionBitfield } from "../discord/permissions";
import { isSnowflake } from "../discord/snowflake";
import { ROUTE_KEYS } from "../traffic/route-keys";

const snowflake = z.string("must be a string of digits").refine(isSnowflake, "must be a snowflake (a decimal id)");
const routeKey = z.enum(ROUTE_KEYS, `must be one of: ${ROUTE_KEYS.join(", ")}`);
const permissions = z
  .string("must be a decimal bitfield string")
  .refine(isPermissionBitfield, "must be a decimal permission bitfield");
// Discord's limits: role names of 1-100 characters, nicknames of 1-32, at most 250 roles a server.
const nick = z
  .string("must be a string or null")
  .trim()
  .min(1, "must be 1 to 32 characters")
  .max(32, "must be 1 to 32 characters")
  .nullable();
const MAX_ROLES = 250;

export const newRoleSchema = z.strictObject({
  name: z
    .string("must be a string")
    .trim()
    .min(1, "must be 1 to 100 characters")
    .max(100, "must be 1 to 100 characters"),
  color: z
    .int("must be an integer")
    .min(0, "must be an RGB colour from 0 to 16777215")
    .max(0xffffff, "must be an RGB colour from 0 to 16777215")
    .optional(),
});

export const memberSchema = z.strictObject({
  permissions: permissions.optional(),
  roles: z.array(snowflake, "must be an array of role ids").max(MAX_ROLES, "must list at most 250 roles").optional(),
  nick: nick.optional(),
});

/** The permissions the bot is given where it is added (as the bot authorization grants them). */
export const botSchema = z.strictObject({ permissions: permissions.optional() });

export const newAccountSchema = z
  .strictObject({
    username: z.string("must be a string"),
    global_name: z
      .string("must be a string or null")
      .trim()
      .min(1, "must not be empty")
      .max(32, "must be at most 32 characters")
      .nullable()
      .optional(),
    email: z.email("must be an email address").nullable().optional(),
    verified: z.boolean("must be true or false").optional(),
    avatar: z.boolean("must be true (generate a custom avatar) or false").optional(),
  })
  .refine((account) => !account.verified || account.email, {
    path: ["verified"],
    error: "can only be true with an email",
  });

export const newGuildSchema = z.strictObject({
  name: z
    .string("must be a string")
    .trim()
    .min(2, "must be 2 to 100 characters")
    .max(100, "must be 2 to 100 characters"),
  owner_id: snowflake.optional(),
  icon: z.boolean("must be true (generate an icon) or false").optional(),
  roles: z
    .array(newRoleSchema, "must be an array of roles")
    .max(MAX_ROLES, "must list at most 250 roles")
    // Members name the roles they hold, so a name must say which role it means.
    .refine((roles) => new Set(roles.map((role) => role.name)).size === roles.length, "must have distinct names")
    .optional(),
  members: z
    .array(
      z.strictObject({
        account_id: snowflake,
        permissions: permissions.optional(),
        roles: z
          .array(z.string("must be a role name").trim(), "must be an array of names from roles")
          .max(MAX_ROLES, "must list at most 250 roles")
          .optional(),
        nick: nick.optional(),
      }),
      "must be an array of members",
    )
    .max(1000, "must list at most 1000 members")
    .optional(),
  approximate_member_count: z.int("must be an integer").min(1, "must be at least 1").optional(),
  approximate_presence_count: z.int("must be an integer").min(0, "must not be negative").optional(),
  /** People who join later (Add Guild Member) wait as `pending` until they pass screening. */
  membership_screening: z.boolean("must be true or false").optional(),
});

export const faultSchema = z
  .strictObject({
    route: routeKey,
    count: z.int("must be an integer").min(1, "must be at least 1").max(10_000, "must be at most 10000"),
    status: z
      .int("must be an integer")
      .min(200, "must be an HTTP status (200-599)")
      .max(599, "must be an HTTP status (200-599)")
      .optional(),
    retry_after: z
      .number("must be a number of seconds")
      .positive("must be greater than 0")
      .max(3600, "must be at most 3600")
      .optional(),
    delay_ms: z
      .int("must be an integer")
      .min(0, "must not be negative")
      .max(60_000, "must be at most 60000")
      .optional(),
    // A malformed answer, e.g. a profile without an id: sent as JSON instead of the real one.
    body: z.json("must be JSON").optional(),
  })
  .refine(
    (fault) =>
      fault.status !== undefined ||
      fault.retry_after !== undefined ||
      fault.delay_ms !== undefined ||
      fault.body !== undefined,
    { path: ["status"], error: "is required unless retry_after, delay_ms or body is given" },
  )
  .refine((fault) => fault.body !== undefined || fault.status === undefined || fault.status >= 400, {
    path: ["status"],
    error: "must be an error status (400-599) unless a body is given",
  })
  .refine((fault) => fault.retry_after === undefined || fault.status === undefined || fault.status === 429, {
    path: ["retry_after"],
    error: "only applies to status 429",
  });

export const rateLimitSchema = z.strictObject({
  route: routeKey,
  limit: z.int("must be an integer").min(1, "must be at least 1").max(100_000, "must be at most 100000"),
  window_seconds: z
    .number("must be a number of seconds")
    .positive("must be greater than 0")
    .max(3600, "must be at most 3600"),
});
