import { DiscordError, isTransient } from "./discord-error.server";
import type { DiscordGuild } from "./guilds.server";

/** Page loads within this window reuse the last list instead of asking Discord again. */
export const FRESH_FOR_MS = 60_000;
/** After a failure, a list this old is still shown (with a notice) rather than nothing; older ones are dropped. */
const STALE_FOR_MS = 60 * 60_000;
/** Estimated bytes of a list beside its text (objects, map slot), and of each server in it. */
const ENTRY_OVERHEAD = 200;
const GUILD_OVERHEAD = 120;

/** What the servers page shows of a server: all that is kept of it. */
export type CachedGuild = Pick<
  DiscordGuild,
  "id" | "name" | "icon" | "owner" | "permissions" | "approximate_member_count" | "approximate_presence_count"
>;

export type GuildsProblem =
  | { kind: "rate_limited"; retryAfterSeconds: number }
  | { kind: "unavailable" }
  /** Discord answered, but not with a list (a refusal, a malformed body). */
  | { kind: "refused" };

export interface GuildsResult {
  /** The servers, or null when there is nothing to show. */
  guilds: CachedGuild[] | null;
  fetchedAt: Date | null;
  /** Why the list may be old or missing. */
  problem: GuildsProblem | null;
}

interface Entry {
  guilds?: CachedGuild[];
  fetchedAt?: number;
  /** Discord asked to wait until then (429 retry_after). */
  retryAt?: number;
  bytes: number;
}

/**
 * The last server list of each person, per instance (docs/decisions/008-guild-cache.md),
 * bounded by estimated bytes (GUILD_CACHE_MAX_MB: people of a bot dashboard can be in
 * hundreds of servers each) and by age; the least recently stored go first.
 */
class GuildCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<GuildsResult>>();
  private bytes = 0;

  constructor(private maxBytes: number) {}

  setMaxBytes(maxBytes: number): void {
    this.maxBytes = maxBytes;
    this.evict(Date.now());
  }

  get size(): { people: number; bytes: number } {
    return { people: this.entries.size, bytes: this.bytes };
  }

  get(userId: string, fetch: () => Promise<DiscordGuild[]>, now: number): Promise<GuildsResult> {
    const entry = this.entries.get(userId);
    if (entry?.guilds && entry.fetchedAt !== undefined && now - entry.fetchedAt < FRESH_FOR_MS) {
      return Promise.resolve(result(entry, null));
    }
    if (entry?.retryAt !== undefined && now < entry.retryAt) {
      return Promise.resolve(
        stale(entry, { kind: "rate_limited", retryAfterSeconds: Math.ceil((entry.retryAt - now) / 1000) }, now),
      );
    }
    const pending = this.inFlight.get(userId);
    if (pending) return pending;
    const attempt = this.refresh(userId, fetch, now).finally(() => this.inFlight.delete(userId));
    this.inFlight.set(userId, attempt);
    return attempt;
  }

  forget(userId: string): void {
    const entry = this.entries.get(userId);
    if (!entry) return;
    this.entries.delete(userId);
    this.bytes -= entry.bytes;
  }

  private async refresh(userId: string, fetch: () => Promise<DiscordGuild[]>, now: number): Promise<GuildsResult> {
    const previous = this.entries.get(userId);
    try {
      const guilds = (await fetch()).map(shown);
      const fresh: Entry = { guilds, fetchedAt: now, bytes: listBytes(guilds) };
      this.store(userId, fresh, now);
      return result(fresh, null);
    } catch (error) {
      if (!(error instanceof DiscordError)) throw error;
      const known = previous ?? { bytes: ENTRY_OVERHEAD };
      if (error.failure.kind === "rate_limited") {
        const retryAfterSeconds = error.failure.retryAfterSeconds;
        this.store(userId, { ...known, retryAt: now + retryAfterSeconds * 1000 }, now);
        return stale(known, { kind: "rate_limited", retryAfterSeconds }, now);
      }
      return stale(known, isTransient(error.failure) ? { kind: "unavailable" } : { kind: "refused" }, now);
    }
  }

  private store(userId: string, entry: Entry, now: number): void {
    this.forget(userId);
    this.entries.set(userId, entry);
    this.bytes += entry.bytes;
    this.evict(now);
  }

  /** Oldest first: over the byte bound, or too old to be shown even after a failure. */
  private evict(now: number): void {
    for (const [userId, entry] of this.entries) {
      const listExpired = entry.fetchedAt === undefined || now - entry.fetchedAt >= STALE_FOR_MS;
      const waitOver = entry.retryAt === undefined || entry.retryAt <= now;
      if (this.bytes <= this.maxBytes && !(listExpired && waitOver)) break;
      this.forget(userId);
    }
  }
}

const cache = new GuildCache(16 * 1024 * 1024);

/** Sets the cache's bound (GUILD_CACHE_MAX_MB), at start. */
export function limitGuildCache(maxBytes: number): void {
  cache.setMaxBytes(maxBytes);
}

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
  return cache.get(userId, fetch, now);
}

/** Forgets a user's list (logout, the end of a grant, account deletion). */
export function forgetGuilds(userId: string): void {
  cache.forget(userId);
}

/** How much the cache holds now (for tests and the benchmark). */
export function guildCacheSize(): { people: number; bytes: number } {
  return cache.size;
}

function shown(guild: DiscordGuild): CachedGuild {
  return {
    id: guild.id,
    name: guild.name,
    icon: guild.icon,
    owner: guild.owner,
    permissions: guild.permissions,
    approximate_member_count: guild.approximate_member_count,
    approximate_presence_count: guild.approximate_presence_count,
  };
}

function listBytes(guilds: CachedGuild[]): number {
  let bytes = ENTRY_OVERHEAD;
  for (const guild of guilds) {
    bytes +=
      GUILD_OVERHEAD + 2 * (guild.id.length + guild.name.length + (guild.icon?.length ?? 0) + guild.permissions.length);
  }
  return bytes;
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
