import type { AccessRules } from "~/config.server";
import { discordAccess, type DiscordAccess } from "~/discord/discord-access.server";
import { DiscordError, type DiscordFailure } from "~/discord/discord-error.server";
import { endGrant, requireGrantedScopes } from "~/discord/grant.server";
import { MAX_PAGES } from "~/discord/guilds.server";
import { revokeDiscordAccess } from "~/discord/revocation.server";
import { callAsUser } from "~/discord/user-call.server";
import {
  claimAccessCheck,
  NEVER_CONFIRMED,
  recordAccessConfirmed,
  recordAccessUnconfirmed,
  releaseAccessCheck,
  type AccessStanding,
  type Claim,
} from "~/models/access-check.server";
import { log } from "~/utils/logger.server";
import { askDiscord, rulesFingerprint, scopeNeeded } from "./check.server";
import { accessDeadline } from "./deadline";
import type { Verdict } from "./verdict";

/** Why a signed-in person's access ended at a re-check. */
export type AccessEnded =
  /** No longer a member of any required server. */
  | "left"
  /** Still a member, but no longer holding a required role. */
  | "role_removed"
  /** Discord could not confirm membership for longer than the grace period. */
  | "unconfirmed"
  /** The grant predates the rules and lacks the scope they need: a new login asks for it. */
  | "scope_missing";

export type AccessOutcome =
  | { ok: true; standing: AccessStanding }
  | { ok: false; ended: AccessEnded }
  /** Not confirmed recently enough to be let in, while another caller checks: ask again shortly. */
  | { ok: false; checkingElsewhere: true };

/** After Discord failed to answer, the next try (sooner when checks are more frequent than this). */
const RETRY_MS = 60_000;
/** When this instance itself had too many calls to Discord waiting, the check is taken up again soon. */
const BUSY_RETRY_MS = 5_000;
/** Bound on this instance's memory of standings (about 200 bytes each); the oldest are forgotten first. */
const MAX_REMEMBERED = 100_000;
type Claimed = Extract<Claim, { claimed: true }>;
const CHECKING_ELSEWHERE: AccessOutcome = { ok: false, checkingElsewhere: true };

// What this instance last learnt of each person, so page loads between checks cost no query.
const remembered = new Map<string, AccessStanding>();
// Page loads of one person waiting on the same check share it.
const checking = new Map<string, Promise<AccessOutcome>>();

/**
 * Keeps a signed-in person's access true over time: at most one check with Discord per
 * person per ACCESS_RECHECK_MINUTES across every instance (the check is claimed in the
 * database: app/models/access-check.server.ts), one at a time within an instance. When
 * they no longer pass, the grant and every session end here. Between checks a person is
 * let in only before their access deadline (./deadline.ts): while Discord cannot answer,
 * access lasts until then and ends at the first check after it.
 * Throws GrantLostError when the grant turned out to be gone.
 */
export async function confirmAccess(
  userId: string,
  rules: AccessRules,
  access: DiscordAccess = discordAccess(),
  now = new Date(),
): Promise<AccessOutcome> {
  const known = remembered.get(userId);
  if (known && known.nextCheckAt > now && admits(known, rules, now)) return { ok: true, standing: known };
  let check = checking.get(userId);
  if (!check) {
    check = recheck(userId, rules, access, now).finally(() => checking.delete(userId));
    checking.set(userId, check);
  }
  return check;
}

function admits(standing: AccessStanding, rules: AccessRules, now: Date): boolean {
  return now.getTime() < accessDeadline(standing.confirmedAt, rules);
}

async function recheck(userId: string, rules: AccessRules, access: DiscordAccess, now: Date): Promise<AccessOutcome> {
  const claim = await claimAccessCheck(
    access.db,
    userId,
    { rules: rulesFingerprint(rules), leaseMs: leaseMs(rules, access), intervalMs: rules.recheckMs },
    now,
  );
  if (!claim.claimed) return admits(claim.standing, rules, now) ? keep(userId, claim.standing) : CHECKING_ELSEWHERE;
  try {
    return await check(userId, rules, access, claim, now);
  } catch (error) {
    // Given back, due at once: a lease held by a check that failed would let the
    // person in on the old standing, unchecked, until it ran out.
    await releaseAccessCheck(access.db, userId, claim.lease).catch(() => {});
    throw error;
  }
}

async function check(userId: string, rules: AccessRules, access: DiscordAccess, claim: Claimed, now: Date) {
  if (!(await requireGrantedScopes(access.db, userId)).includes(scopeNeeded(rules)))
    return end(userId, "scope_missing", access);
  let verdict: Verdict;
  try {
    verdict = await callAsUser(userId, (accessToken) => askDiscord(access.discord, accessToken, rules), access);
  } catch (error) {
    if (!(error instanceof DiscordError)) throw error;
    if (error.failure.kind === "rejected" && error.failure.code === "missing_access")
      return end(userId, "scope_missing", access);
    return unconfirmed(userId, rules, access, claim, now, error.failure);
  }
  if (!verdict.allowed) return end(userId, verdict.reason === "not_member" ? "left" : "role_removed", access);
  const nextCheckAt = new Date(now.getTime() + rules.recheckMs);
  const standing = await recordAccessConfirmed(access.db, userId, claim.lease, { ...verdict, nextCheckAt }, now);
  return keepRecorded(userId, standing, nextCheckAt);
}

/**
 * How long a check may take before another caller may take it over: every call it can
 * make (a member call per required server, or every page of the server list; twice if
 * the token is refreshed on the way; and the refresh), each bounded by DISCORD_TIMEOUT_MS, and some slack.
 */
function leaseMs(rules: AccessRules, access: DiscordAccess): number {
  const callsPerAnswer = rules.roles.length > 0 ? rules.guilds.length : MAX_PAGES;
  const calls = 2 * callsPerAnswer + 1;
  return calls * access.discord.timeoutMs + 5_000;
}

/**
 * Discord did not answer the check (down, slow, rate limiting, an answer that makes no
 * sense, or this instance's own backlog of calls to it): access is kept until the
 * deadline, with the next try after a wait (Discord's retry_after honoured) and once
 * more right at the deadline.
 */
async function unconfirmed(
  userId: string,
  rules: AccessRules,
  access: DiscordAccess,
  claim: Claimed,
  now: Date,
  failure: DiscordFailure,
): Promise<AccessOutcome> {
  const since = claim.unconfirmedSince ?? now;
  if (failure.kind !== "busy")
    log.warn("access check unanswered", { user_id: userId, failure: failure.kind, since: since.toISOString() });
  const deadline = accessDeadline(claim.confirmedAt, rules);
  if (now.getTime() >= deadline) return end(userId, "unconfirmed", access);
  const retryMs = Math.min(RETRY_MS, rules.recheckMs);
  const waitMs =
    failure.kind === "busy"
      ? BUSY_RETRY_MS
      : failure.kind === "rate_limited"
        ? Math.max(retryMs, failure.retryAfterSeconds * 1000)
        : retryMs;
  const nextCheckAt = new Date(Math.min(now.getTime() + waitMs, deadline));
  const standing = await recordAccessUnconfirmed(access.db, userId, claim.lease, { since, nextCheckAt });
  return keepRecorded(userId, standing, nextCheckAt);
}

/**
 * A claimed check's outcome, as recorded; null when the check outlived its lease and
 * another caller's newer answer stands: that one is not this instance's to remember.
 */
function keepRecorded(userId: string, standing: AccessStanding | null, nextCheckAt: Date): AccessOutcome {
  return standing ? keep(userId, standing) : { ok: true, standing: { ...NEVER_CONFIRMED, nextCheckAt } };
}

function keep(userId: string, standing: AccessStanding): AccessOutcome {
  remembered.delete(userId);
  remembered.set(userId, standing);
  if (remembered.size > MAX_REMEMBERED) remembered.delete(remembered.keys().next().value!);
  return { ok: true, standing };
}

/**
 * Ends the person's access: every session and the stored tokens go (the one grant-ending
 * operation). When they no longer qualify, the grant is also revoked at Discord, so no
 * authorisation is left behind; when Discord is the problem, or the grant is merely too
 * old for the rules, there is nothing to tell it.
 */
async function end(userId: string, ended: AccessEnded, access: DiscordAccess): Promise<AccessOutcome> {
  remembered.delete(userId);
  const revoked = ended === "left" || ended === "role_removed" ? await revokeDiscordAccess(access, userId) : null;
  if (!revoked?.ok) await endGrant(access.db, userId);
  log.info("access ended", { user_id: userId, reason: ended, revoked_at_discord: revoked?.ok ?? false });
  return { ok: false, ended };
}

/** What this instance last learnt of the person's standing (fresh after requireUser's check). */
export function rememberedStanding(userId: string): AccessStanding | null {
  return remembered.get(userId) ?? null;
}

/** For tests: forget what this instance remembers, as a fresh instance would. */
export function forgetRememberedStandings(): void {
  remembered.clear();
}
