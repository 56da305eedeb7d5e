import type { AppContext } from "../app-context";
import { apiRoutesOn } from "./api-paths";
import { MISSING_PERMISSIONS, UNKNOWN_GUILD, invalidFormBody, notSnowflake } from "../discord/errors";
import {
  CREATE_INSTANT_INVITE,
  DEAFEN_MEMBERS,
  MANAGE_NICKNAMES,
  MANAGE_ROLES,
  MUTE_MEMBERS,
  holds,
} from "../discord/permissions";
import { isSnowflake } from "../discord/snowflake";
import { readBody } from "../http/body";
import type { IncomingRequest, Router } from "../http/router";
import { sendJson, sendNoContent } from "../http/respond";
import { isUsable } from "../state/grants";
import { MEMBERSHIP_SCREENING, newcomer } from "../state/guilds";
import { authorizeBot } from "./bot-auth";
import { guildMemberJson } from "./member-json";

const INVALID_JSON = { message: "The request body contains invalid JSON.", code: 50109 } as const;
const INVALID_ACCESS_TOKEN = { message: "Invalid OAuth2 access token", code: 50025 } as const;
const TOO_MANY_SERVERS = { message: "Maximum number of guilds reached (100)", code: 30001 } as const;
/** How many servers an account may be in (without Nitro). */
const MAX_SERVERS = 100;
/** The longest access token the request body may carry (BotAddGuildMemberRequest). */
const MAX_ACCESS_TOKEN_LENGTH = 10_240;

/**
 * Discord's "Add Guild Member" (`PUT /guilds/{guild.id}/members/{user.id}`): with the bot's
 * token, puts the person whose `guilds.join` access token is in the body into a server the
 * bot is in with Create Invite. 201 with the member, 204 when they already are one; a
 * server with membership screening takes them as `pending`. Nickname and roles need the
 * bot's Manage Nicknames and Manage Roles, as on Discord.
 */
export function registerJoinRoutes(router: Router, context: AppContext): void {
  apiRoutesOn(router, context)("PUT", "/guilds/:guildId/members/:userId", "add_guild_member", addGuildMember);

  async function addGuildMember(request: IncomingRequest): Promise<void> {
    const { res, params } = request;
    if (!authorizeBot(context, request)) return;
    const body = await readBody(request.req);
    // Read first, then everything synchronous: a reset cannot land in between.
    const { guildId, userId } = params as { guildId: string; userId: string };
    if (!isSnowflake(guildId)) return sendJson(res, 400, invalidFormBody({ guild_id: notSnowflake(guildId) }));
    if (!isSnowflake(userId)) return sendJson(res, 400, invalidFormBody({ user_id: notSnowflake(userId) }));

    let parsed: Record<string, unknown>;
    try {
      const value: unknown = JSON.parse(body.toString("utf8"));
      if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("not an object");
      parsed = value as Record<string, unknown>;
    } catch {
      return sendJson(res, 400, INVALID_JSON);
    }
    const fields = parseFields(parsed);
    if ("errors" in fields) return sendJson(res, 400, invalidFormBody(fields.errors));

    const { state } = context;
    const guild = state.guilds.get(guildId);
    const bot = guild && state.guilds.botIn(guildId);
    if (!guild || !bot) return sendJson(res, 404, UNKNOWN_GUILD);
    if (!holds(bot.permissions, CREATE_INSTANT_INVITE)) return sendJson(res, 403, MISSING_PERMISSIONS);

    // The token must be a live access token of this application's, granted by this very
    // person with guilds.join.
    const token = state.grants.find(fields.accessToken);
    const tokenFits =
      token !== undefined &&
      token.kind === "access" &&
      isUsable(token, Date.now()) &&
      token.accountId === userId &&
      token.scopes.includes("guilds.join");
    if (!tokenFits) return sendJson(res, 403, INVALID_ACCESS_TOKEN);
    const account = state.accounts.get(userId)!;

    if (state.guilds.member(guildId, userId)) return sendNoContent(res);
    const needed =
      (fields.nick !== null ? MANAGE_NICKNAMES : 0n) |
      (fields.roles.length > 0 ? MANAGE_ROLES : 0n) |
      (fields.mute ? MUTE_MEMBERS : 0n) |
      (fields.deaf ? DEAFEN_MEMBERS : 0n);
    if (!holds(bot.permissions, needed)) return sendJson(res, 403, MISSING_PERMISSIONS);
    const unknownRole = fields.roles.findIndex((roleId) => !state.guilds.role(guildId, roleId));
    if (unknownRole >= 0) {
      return sendJson(
        res,
        400,
        invalidFormBody({ [`roles.${unknownRole}`]: { code: "UNKNOWN_ROLE", message: "Unknown role" } }),
      );
    }
    if (state.guilds.membershipsOf(userId).length >= MAX_SERVERS) return sendJson(res, 400, TOO_MANY_SERVERS);

    const member = {
      ...newcomer(userId, Date.now()),
      roles: [...new Set(fields.roles)],
      nick: fields.nick,
      pending: guild.features.includes(MEMBERSHIP_SCREENING),
    };
    state.guilds.putMember(guildId, member);
    sendJson(res, 201, guildMemberJson(account, member));
  }
}

interface JoinFields {
  accessToken: string;
  nick: string | null;
  roles: string[];
  mute: boolean;
  deaf: boolean;
}

type FieldErrors = Record<string, { code: string; message: string }>;

/** The body's fields as BotAddGuildMemberRequest describes them, or Discord's errors for each. */
function parseFields(body: Record<string, unknown>): JoinFields | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const { access_token: accessToken, nick, roles, mute, deaf } = body;
  if (accessToken === undefined || accessToken === null) {
    errors.access_token = { code: "BASE_TYPE_REQUIRED", message: "This field is required" };
  } else if (typeof accessToken !== "string") {
    errors.access_token = { code: "BASE_TYPE_STRING", message: "Must be a string." };
  } else if (accessToken.length > MAX_ACCESS_TOKEN_LENGTH) {
    errors.access_token = {
      code: "BASE_TYPE_MAX_LENGTH",
      message: `Must be ${MAX_ACCESS_TOKEN_LENGTH} or fewer in length.`,
    };
  }
  if (nick !== undefined && nick !== null && (typeof nick !== "string" || [...nick].length > 32)) {
    errors.nick = { code: "BASE_TYPE_BAD_LENGTH", message: "Must be between 1 and 32 in length." };
  }
  if (roles !== undefined && roles !== null) {
    if (!Array.isArray(roles) || roles.length > 250) {
      errors.roles = { code: "BASE_TYPE_ARRAY", message: "Must be an array of at most 250 role ids." };
    } else {
      roles.forEach((role, index) => {
        if (typeof role !== "string" || !isSnowflake(role)) errors[`roles.${index}`] = notSnowflake(String(role));
      });
    }
  }
  for (const [name, value] of [
    ["mute", mute],
    ["deaf", deaf],
  ] as const) {
    if (value !== undefined && value !== null && typeof value !== "boolean") {
      errors[name] = { code: "BASE_TYPE_BOOLEAN", message: "Must be either true or false." };
    }
  }
  if (Object.keys(errors).length > 0) return { errors };
  return {
    accessToken: accessToken as string,
    nick: typeof nick === "string" && nick !== "" ? nick : null,
    roles: Array.isArray(roles) ? (roles as string[]) : [],
    mute: mute === true,
    deaf: deaf === true,
  };
}
