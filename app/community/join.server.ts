import { knownServerName } from "~/access/required-servers.server";
import type { LoginStart } from "~/auth/discord-strategy.server";
import type { Notice } from "~/auth/notice.server";
import { getConfig, JOIN_SCOPE, type JoinSettings } from "~/config.server";
import { dashboardBot } from "~/dashboard/bot.server";
import type { DB } from "~/db/db.server";
import { DiscordError, type DiscordFailure } from "~/discord/discord-error.server";
import { SITE_NAME } from "~/site";
import { log, type LogFields } from "~/utils/logger.server";

/**
 * The login behind "Join and continue" (the refusal page's button, with members-only
 * rules): the scopes a login from this browser asks (auth/more-access.server.ts) and
 * guilds.join, and the wish to join, carried to the callback.
 */
export function joinStart(value: unknown, returnTo: unknown, loginScopes: readonly string[]): LoginStart {
  // Only the refusal page's button sends it, and only when joining is offered.
  if (value !== "server" || getConfig().join?.when !== "offered") {
    throw new Response("This is not a request the site's pages send.", { status: 400 });
  }
  return {
    start: true,
    returnTo,
    prompt: "none", // a scope not granted before brings Discord's screen anyway
    scopes: [...new Set([...loginScopes, JOIN_SCOPE])],
    join: true,
  };
}

/** What happened when a person was to be added to the community server at sign-in. */
export type JoinReport =
  | { outcome: "added"; pending: boolean }
  | { outcome: "already_member" }
  | { outcome: "failed"; reason: JoinFailure; retryAfterSeconds?: number };

/** Why the bot could not add the person: whose to fix decides what each side is told. */
export type JoinFailure =
  | "bot_not_in_server" // 10004: the operator adds the bot
  | "bot_lacks_permission" // 50013: Create Invite, or Manage Roles for JOIN_ROLE_IDS
  | "roles_refused" // 50035: a JOIN_ROLE_IDS role the server does not have
  | "too_many_servers" // 30001: the person leaves a server first
  | "banned" // 40007
  | "not_shared" // the token lacks guilds.join, or Discord refused it (50025)
  | "rate_limited"
  | "discord_failed"; // down, slow, or an answer nobody planned for

/** Discord's error codes for Add Guild Member, as the failures above. */
const FAILURE_BY_CODE: Record<string, JoinFailure> = {
  "10004": "bot_not_in_server",
  "50013": "bot_lacks_permission",
  "50035": "roles_refused",
  "30001": "too_many_servers",
  "40007": "banned",
  "50025": "not_shared",
};

/** Failures only the operator can fix: logged as errors, with what to do. */
const OPERATOR_HINTS: Partial<Record<JoinFailure, string>> = {
  bot_not_in_server: "the bot is not in JOIN_GUILD_ID's server: add it (the bot dashboard's Add bot does)",
  bot_lacks_permission:
    "the bot lacks Create Invite there (and Manage Roles, with a role above JOIN_ROLE_IDS, to give those)",
  roles_refused: "Discord refused JOIN_ROLE_IDS: each must be a role of JOIN_GUILD_ID's server",
};

export interface JoinAttempt {
  discordId: string;
  accessToken: string;
  /** The scopes Discord granted with the token (its token response's `scope`). */
  grantedScopes: readonly string[];
  /** True when the person asked to join ("Join and continue"): added even if they left before. */
  asked: boolean;
}

/**
 * At sign-in, before the access rules are checked (joining may be what lets a person in):
 * adds the person to JOIN_GUILD_ID's server with their access token, when they asked to, or
 * at their first sign-in while it is set. Null when nothing was due. Never throws for
 * Discord's sake: a failed join never blocks a login the rules allow.
 */
export async function joinAtSignIn(
  db: DB,
  join: JoinSettings | null,
  attempt: JoinAttempt,
): Promise<JoinReport | null> {
  if (!join) return null;
  const due = attempt.asked || (join.when === "first_sign_in" && !(await hasJoined(db, attempt.discordId, join)));
  if (!due) return null;
  const fields: LogFields = { guild_id: join.guild.id, discord_id: attempt.discordId };
  const report = attempt.grantedScopes.includes(JOIN_SCOPE)
    ? await addMember(join, attempt)
    : ({ outcome: "failed", reason: "not_shared" } as const);
  if (report.outcome !== "failed") {
    log.info("joined the community server at sign-in", { ...fields, outcome: report.outcome });
  } else {
    const hint = OPERATOR_HINTS[report.reason];
    (hint ? log.error : log.warn)("could not add a person to the community server at sign-in", {
      ...fields,
      reason: report.reason,
      fix: hint,
    });
  }
  return report;
}

/** Whether this Discord account was added to (or found in) the server at an earlier sign-in. */
async function hasJoined(db: DB, discordId: string, join: JoinSettings): Promise<boolean> {
  const joined = await db
    .selectFrom("community_joins")
    .innerJoin("users", "users.id", "community_joins.user_id")
    .select("community_joins.guild_id")
    .where("users.discord_id", "=", discordId)
    .executeTakeFirst();
  return joined?.guild_id === join.guild.id;
}

async function addMember(join: JoinSettings, attempt: JoinAttempt): Promise<JoinReport> {
  const bot = dashboardBot();
  if (!bot) return { outcome: "failed", reason: "bot_not_in_server" }; // config requires the token
  try {
    const joined = await bot.addMember(join.guild.id, attempt.discordId, attempt.accessToken, join.roles);
    return joined.joined === "added" ? { outcome: "added", pending: joined.pending } : { outcome: "already_member" };
  } catch (error) {
    if (!(error instanceof DiscordError)) throw error;
    return failedWith(error.failure);
  }
}

function failedWith(failure: DiscordFailure): JoinReport {
  if (failure.kind === "rate_limited") {
    return { outcome: "failed", reason: "rate_limited", retryAfterSeconds: failure.retryAfterSeconds };
  }
  const known = failure.kind === "rejected" ? FAILURE_BY_CODE[failure.code] : undefined;
  return { outcome: "failed", reason: known ?? "discord_failed" };
}

/**
 * Remembers, in the login's transaction, that the person is in the server (added, or
 * already in), so the first-sign-in join is not made again. A failed join records nothing.
 */
export async function recordJoin(tx: DB, userId: string, join: JoinSettings | null, report: JoinReport | null) {
  if (!join || !report || report.outcome === "failed") return;
  await tx
    .insertInto("community_joins")
    .values({ user_id: userId, guild_id: join.guild.id })
    .onConflict((conflict) =>
      conflict.column("user_id").doUpdateSet({ guild_id: join.guild.id, joined_at: new Date() }),
    )
    .execute();
}

/**
 * What the person is told after the login (or on the refusal page): nothing when they were
 * in the server already. `willRetry`: a first-sign-in join is tried again at the next one.
 */
export function joinNotice(join: JoinSettings, report: JoinReport | null): Notice | null {
  if (!report || report.outcome === "already_member") return null;
  const server = joinServerName(join);
  if (report.outcome === "added") {
    return report.pending
      ? {
          kind: "info",
          message: `You joined ${server} on Discord. It asks new members to accept its rules first: open it in Discord to finish.`,
        }
      : { kind: "success", message: `You joined ${server} on Discord.` };
  }
  const again = join.when === "first_sign_in" ? " It will be tried again when you next log in." : "";
  const why: Record<JoinFailure, string> = {
    bot_not_in_server: `the server is not set up for it yet, and the site's operator has been told.${again}`,
    bot_lacks_permission: `the server is not set up for it yet, and the site's operator has been told.${again}`,
    roles_refused: `the server is not set up for it yet, and the site's operator has been told.${again}`,
    too_many_servers: "your Discord account is in as many servers as Discord allows. Leave one, then log in again.",
    banned: "the server has banned your Discord account.",
    not_shared: `Discord did not let ${SITE_NAME} add you to servers.${again}`,
    rate_limited: `Discord asked to wait${report.retryAfterSeconds ? ` ${report.retryAfterSeconds} seconds` : ""}.${again}`,
    discord_failed: `Discord did not answer.${again}`,
  };
  return { kind: "info", message: `${SITE_NAME} could not add you to ${server} on Discord: ${why[report.reason]}` };
}

/** The server's name as configured, or as Discord last showed it here (members-only rules). */
export function joinServerName(join: JoinSettings): string {
  return join.guild.label ?? knownServerName(join.guild.id) ?? "the community server";
}

/**
 * At start: says in the log when the bot is not in the server (no one can be added until
 * it is), or when Discord could not say. Never stops the instance: the bot may be added later.
 */
export async function checkJoinServer(join: JoinSettings): Promise<void> {
  try {
    const server = await dashboardBot()?.guild(join.guild.id);
    if (server === null)
      log.error("JOIN_GUILD_ID: the bot is not in this server", {
        guild_id: join.guild.id,
        fix: OPERATOR_HINTS.bot_not_in_server,
      });
  } catch (error) {
    log.warn("could not check that the bot is in JOIN_GUILD_ID's server", { reason: (error as Error).message });
  }
}
