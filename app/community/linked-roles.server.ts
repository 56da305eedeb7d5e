import { z } from "zod";
import type { Config } from "~/config.server";
import { dashboardBot } from "~/dashboard/bot.server";
import type { DB } from "~/db/db.server";
import type { User } from "~/db/schema";
import type { DiscordSettings } from "~/discord/discord-access.server";
import { DiscordError, type DiscordFailure } from "~/discord/discord-error.server";
import { callDiscord, readJson } from "~/discord/discord-http.server";
import { SITE_NAME } from "~/site";
import { log } from "~/utils/logger.server";

/** The scope that lets the app write a person's role connection. */
export const LINKED_ROLES_SCOPE = "role_connections.write";

/**
 * What a server's Linked Roles can require of people, from this app's data: registered
 * with Discord by `npm run discord:linked-roles`. At most 5 records (Discord's limit);
 * keys `a-z0-9_` (1-50), names up to 100, descriptions up to 200 characters. To offer
 * another requirement, add a record here and its value in `roleConnectionOf`.
 * Types: 5 is DATETIME_LESS_THAN_OR_EQUAL (a date at least the role's number of days
 * ago), 7 is BOOLEAN_EQUAL (1 or 0).
 */
export const ROLE_CONNECTION_METADATA = [
  {
    type: 5,
    key: "member_since",
    name: "Member for (days)",
    description: `Days since the account first signed in to ${SITE_NAME}`,
  },
  {
    type: 7,
    key: "email_verified",
    name: "Verified email",
    description: `Signed in to ${SITE_NAME} with an email address Discord has verified`,
  },
] as const;

type MetadataKey = (typeof ROLE_CONNECTION_METADATA)[number]["key"];

/** What the app tells Discord of a person (Update Current User Application Role Connection). */
export interface RoleConnectionBody {
  platform_name: string;
  platform_username: string;
  metadata: Record<MetadataKey, string>;
}

/** The values, as strings (Discord's format), from what is stored of the person here. */
export function roleConnectionOf(user: User): RoleConnectionBody {
  return {
    platform_name: SITE_NAME.slice(0, 50),
    platform_username: user.username.slice(0, 100),
    metadata: {
      member_since: user.created_at.toISOString(),
      email_verified: user.email_verified ? "1" : "0",
    },
  };
}

export type SyncOutcome = "sent" | "unchanged" | { failed: DiscordFailure };

/**
 * Sends the person's role connection when it differs from what was last sent (or always,
 * with `force`), and remembers what was. Called after a login whose token carries the
 * scope (data here changes only at a login: the profile is read again) and from the
 * Linked Roles page. Never throws for Discord's sake.
 */
export async function syncRoleConnection(
  db: DB,
  discord: DiscordSettings,
  user: User,
  accessToken: string,
  options: { force?: boolean } = {},
): Promise<SyncOutcome> {
  const body = roleConnectionOf(user);
  const sent = JSON.stringify(body);
  if (!options.force && (await lastSent(db, user.id)) === sent) return "unchanged";
  try {
    await callRoleConnection(discord, accessToken, "PUT", body);
  } catch (error) {
    if (!(error instanceof DiscordError)) throw error;
    log.warn("could not update a Linked Roles connection", { user_id: user.id, reason: error.message });
    return { failed: error.failure };
  }
  await db
    .insertInto("role_connections")
    .values({ user_id: user.id, sent, sent_at: new Date() })
    .onConflict((conflict) => conflict.column("user_id").doUpdateSet({ sent, sent_at: new Date() }))
    .execute();
  return "sent";
}

/** What was last sent for the person (JSON), or null when nothing was. */
export async function lastSent(db: DB, userId: string): Promise<string | null> {
  const row = await db.selectFrom("role_connections").select("sent").where("user_id", "=", userId).executeTakeFirst();
  return row?.sent ?? null;
}

/**
 * Takes the person's role connection away at Discord, before their grant is revoked or
 * their account deleted: a server's Linked Roles must not go on trusting what the app no
 * longer stands behind. A failure is logged and does not stop the revocation (Discord may
 * drop connections with the grant; the person can remove it in Discord's settings).
 */
export async function removeRoleConnection(
  db: DB,
  discord: DiscordSettings,
  userId: string,
  accessToken: string,
): Promise<void> {
  if ((await lastSent(db, userId)) === null) return;
  try {
    await callRoleConnection(discord, accessToken, "DELETE");
  } catch (error) {
    if (!(error instanceof DiscordError)) throw error;
    log.warn("could not remove a Linked Roles connection", { user_id: userId, reason: error.message });
  }
  await db.deleteFrom("role_connections").where("user_id", "=", userId).execute();
}

const roleConnectionAnswer = z.object({
  platform_name: z.string().max(50).nullish(),
  platform_username: z.string().max(100).nullish(),
  metadata: z.record(z.string(), z.string().max(100)),
});

async function callRoleConnection(
  discord: DiscordSettings,
  accessToken: string,
  method: "PUT" | "DELETE",
  body?: RoleConnectionBody,
): Promise<void> {
  const operation = method === "PUT" ? "Linked Roles update" : "Linked Roles removal";
  const response = await callDiscord({
    operation,
    url: `${discord.baseUrl}/api/v10/users/@me/applications/${discord.clientId}/role-connection`,
    timeoutMs: discord.timeoutMs,
    init: {
      method,
      headers: {
        Authorization: `Bearer ${accessToken}`,
        Accept: "application/json",
        ...(body ? { "Content-Type": "application/json" } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    },
  });
  if (!response.ok) {
    await response.body?.cancel();
    throw new DiscordError(operation, { kind: "rejected", status: response.status, code: "api" });
  }
  if (method === "PUT") await readJson(operation, response, roleConnectionAnswer);
  else await response.body?.cancel();
}

/** Whether Discord holds exactly this app's records (compared field by field, in order). */
function sameRecords(registered: readonly unknown[]): boolean {
  const fields = (record: unknown) => {
    const { type, key, name, description } = record as Record<string, unknown>;
    return JSON.stringify([type, key, name, description]);
  };
  return (
    registered.length === ROLE_CONNECTION_METADATA.length &&
    registered.every((record, index) => fields(record) === fields(ROLE_CONNECTION_METADATA[index]))
  );
}

/** `npm run discord:linked-roles`: registers the records with Discord, replacing any others. */
export async function registerRoleConnectionMetadata(config: Config): Promise<unknown[]> {
  const bot = dashboardBot(config);
  if (!bot) throw new Error("DISCORD_BOT_TOKEN: must be set; Discord takes the metadata from the application's bot");
  return bot.setRoleConnectionMetadata(config.discord.clientId, ROLE_CONNECTION_METADATA);
}

/**
 * At start: says in the log when Discord holds other records than these (the Developer
 * Portal's Linked Roles would offer the wrong requirements). Against the emulator, which
 * forgets them whenever it restarts, it registers them instead. Never stops the instance.
 */
export async function checkRoleConnectionMetadata(config: Config): Promise<void> {
  const bot = dashboardBot(config);
  if (!bot || !config.linkedRoles) return;
  try {
    const registered = await bot.roleConnectionMetadata(config.discord.clientId);
    if (sameRecords(registered)) return;
    if (config.usingEmulator) {
      await registerRoleConnectionMetadata(config);
      log.info("registered the Linked Roles metadata with the emulator", { records: ROLE_CONNECTION_METADATA.length });
      return;
    }
    log.error("Discord holds other Linked Roles metadata than this app's", {
      registered: registered.length,
      fix: "run npm run discord:linked-roles",
    });
  } catch (error) {
    log.warn("could not check the Linked Roles metadata with Discord", { reason: (error as Error).message });
  }
}
