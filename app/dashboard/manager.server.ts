import { getConfig } from "~/config.server";
import { discordAccess, type DiscordAccess } from "~/discord/discord-access.server";
import { DiscordError, isTransient } from "~/discord/discord-error.server";
import { requireGrantedScopes } from "~/discord/grant.server";
import { fetchAllGuilds } from "~/discord/guilds.server";
import { managesServer } from "~/discord/permissions";
import { callAsUser } from "~/discord/user-call.server";
import { claimManagerCheck, recordManagedGuilds, releaseManagerCheck } from "~/models/manager-check.server";

export type ManagerVerdict =
  | { kind: "manages" }
  /** Discord says they do not own, administer or manage the server (any more). */
  | { kind: "does_not_manage" }
  /** Nobody could ask Discord just now, and nothing recent enough is known: try again soon. */
  | { kind: "unconfirmed"; retryAfterSeconds: number }
  /** The person has not granted the `guilds` scope, which the check reads from. */
  | { kind: "server_list_not_shared" };

interface Known {
  managedGuildIds: ReadonlySet<string>;
  /** Date.now() when Discord answered. */
  checkedAt: number;
}

/** People remembered per instance; the least recently checked are forgotten first. */
const MAX_PEOPLE = 10_000;
const known = new Map<string, Known>();
/** A check's outcome when the person has not shared their server list (no `guilds` scope). */
const NOT_SHARED = "server_list_not_shared";
const inFlight = new Map<string, Promise<Known | null | typeof NOT_SHARED>>();

/**
 * Whether the person manages the server now, by Discord's word at most DASHBOARD_RECHECK_SECONDS
 * old. Between checks the instance answers from memory (no query, no call); when one is
 * due, one instance of all claims it in Postgres and asks Discord for the person's server
 * list, and the others take its answer (app/models/manager-check.server.ts). When Discord
 * cannot answer, nobody is let in on an old answer: "try again" instead. Throws
 * GrantLostError when the person's grant is gone.
 */
export async function managerVerdict(
  userId: string,
  guildId: string,
  options: { access?: DiscordAccess; recheckMs?: number } = {},
): Promise<ManagerVerdict> {
  const access = options.access ?? discordAccess();
  const recheckMs = options.recheckMs ?? getConfig().dashboard?.recheckMs ?? DEFAULT_RECHECK_MS;
  const now = Date.now();
  let standing = known.get(userId);
  if (!standing || now - standing.checkedAt >= recheckMs) {
    const pending =
      inFlight.get(userId) ?? check(userId, access, recheckMs, now).finally(() => inFlight.delete(userId));
    inFlight.set(userId, pending);
    const checked = await pending;
    if (checked === NOT_SHARED) return { kind: NOT_SHARED };
    if (!checked) return { kind: "unconfirmed", retryAfterSeconds: RETRY_AFTER_SECONDS };
    standing = checked;
  }
  return standing.managedGuildIds.has(guildId) ? { kind: "manages" } : { kind: "does_not_manage" };
}

const RETRY_AFTER_SECONDS = 2;
const DEFAULT_RECHECK_MS = 60_000;

async function check(
  userId: string,
  access: DiscordAccess,
  recheckMs: number,
  now: number,
): Promise<Known | null | typeof NOT_SHARED> {
  // Read only when a check is due: between checks a page costs no query.
  if (!(await requireGrantedScopes(access.db, userId)).includes("guilds")) return NOT_SHARED;
  // Long enough for a server list of several pages at the Discord timeout.
  const leaseMs = access.discord.timeoutMs * 3;
  const claim = await claimManagerCheck(access.db, userId, { leaseMs, intervalMs: recheckMs }, new Date(now));
  if (!claim.claimed) {
    // Another instance checked within the interval (or is checking now, its last answer
    // then at most a lease older): its answer stands here too.
    const { checkedAt, managedGuildIds } = claim.standing;
    if (!checkedAt || now - checkedAt.getTime() >= recheckMs + leaseMs) return null;
    return remember(userId, { managedGuildIds: new Set(managedGuildIds), checkedAt: checkedAt.getTime() });
  }
  try {
    const guilds = await callAsUser(userId, (token) => fetchAllGuilds(access.discord, token), access);
    const managedGuildIds = guilds.filter(managesServer).map((guild) => guild.id);
    const answeredAt = Date.now();
    await recordManagedGuilds(access.db, userId, claim.lease, {
      managedGuildIds,
      nextCheckAt: new Date(answeredAt + recheckMs),
    });
    return remember(userId, { managedGuildIds: new Set(managedGuildIds), checkedAt: answeredAt });
  } catch (error) {
    await releaseManagerCheck(access.db, userId, claim.lease);
    if (error instanceof DiscordError && isTransient(error.failure)) return null;
    throw error;
  }
}

function remember(userId: string, standing: Known): Known {
  known.delete(userId);
  known.set(userId, standing);
  if (known.size > MAX_PEOPLE) known.delete(known.keys().next().value!);
  return standing;
}

/** Forgets what this instance knows of the person (their grant ended, or a test starts over). */
export function forgetManager(userId: string): void {
  known.delete(userId);
}
