import { DiscordError, isTransient } from "./discord-error.server";
import type { DiscordGuild } from "./guilds.server";

/** Page loads within this window reuse the last list instead of asking Discord again. */
export const FRESH_FOR_MS = 60_000;
/** After a failure, a list this old is still shown (with a notice) rather than nothing. */
const STALE_FOR_MS = 60 * 60_000;
/** Bound on memory: the least recently stored users are forgotten first. */
const MAX_USERS = 5_000;

export type GuildsProblem =
  | { kind: "rate_limited"; retryAfterSeconds: number }
  | { kind: "unavailable" }
  /** Discord answered, but not with a list (a refusal, a malformed body). */
  | { kind: "refused" };

export interface GuildsResult {
  /** The servers, or null when there is nothing to show. */
  guilds: DiscordGuild[] | null;
  fetchedAt: Date | null;
  /** Why the list may be old or missing. */
  problem: GuildsProblem | null;
}

interface Entry {
  guilds?: DiscordGuild[];
  fetchedAt?: number;
  /** Discord asked to wait until then (429 retry_after). */
  retryAt?: number;
}

const entries = new Map<string, Entry>();
const inFlight = new Map<string, Promise<GuildsResult>>();

/**
 * The user's servers, from this instance's cache when fresh, else from `fetch`. Concurrent
 * page loads share one fetch; a 429 is honoured (no call before retry_after has passed);
 * any other failure falls back to the last good list, with a notice. GrantLostError passes through.
 */
export function getGuilds(
  userId: string,
  fetch: () => Promise<DiscordGuild[]>,
  now = Date.now(),
): Promise<GuildsResult> {
  const entry = entries.get(userId);
  if (entry?.guilds && entry.fetchedAt !== undefined && now - entry.fetchedAt < FRESH_FOR_MS) {
    return Promise.resolve(result(entry, null));
  }
  if (entry?.retryAt !== undefined && now < entry.retryAt) {
    return Promise.resolve(
      stale(entry, { kind: "rate_limited", retryAfterSeconds: Math.ceil((entry.retryAt - now) / 1000) }, now),
    );
  }
  const pending = inFlight.get(userId);
  if (pending) return pending;
  const attempt = refresh(userId, fetch, now).finally(() => inFlight.delete(userId));
  inFlight.set(userId, attempt);
  return attempt;
}

/** Forgets a user's list (logout everywhere, revocation, account deletion). */
export function forgetGuilds(userId: string): void {
  entries.delete(userId);
}

async function refresh(userId: string, fetch: () => Promise<DiscordGuild[]>, now: number): Promise<GuildsResult> {
  const previous = entries.get(userId) ?? {};
  try {
    const fresh: Entry = { guilds: await fetch(), fetchedAt: now };
    store(userId, fresh);
    return result(fresh, null);
  } catch (error) {
    if (!(error instanceof DiscordError)) throw error;
    if (error.failure.kind === "rate_limited") {
      const retryAfterSeconds = error.failure.retryAfterSeconds;
      store(userId, { ...previous, retryAt: now + retryAfterSeconds * 1000 });
      return stale(previous, { kind: "rate_limited", retryAfterSeconds }, now);
    }
    return stale(previous, isTransient(error.failure) ? { kind: "unavailable" } : { kind: "refused" }, now);
  }
}

function store(userId: string, entry: Entry): void {
  entries.delete(userId);
  entries.set(userId, entry);
  if (entries.size > MAX_USERS) entries.delete(entries.keys().next().value!);
}

function stale(entry: Entry, problem: GuildsProblem, now: number): GuildsResult {
  const usable = entry.guilds && entry.fetchedAt !== undefined && now - entry.fetchedAt < STALE_FOR_MS;
  return usable ? result(entry, problem) : { guilds: null, fetchedAt: null, problem };
}

function result(entry: Entry, problem: GuildsProblem | null): GuildsResult {
  return {
    guilds: entry.guilds ?? null,
    fetchedAt: entry.fetchedAt === undefined ? null : new Date(entry.fetchedAt),
    problem,
  };
}
