import type { User } from "~/db/schema";
import type { DiscordIdentity } from "./discord-identity";

/** What a signed-in request needs of its session row. */
export interface SessionCore {
  id: string;
  user_id: string;
  created_at: Date;
  expires_at: Date;
  last_seen_at: Date;
}

export interface ActiveSession {
  session: SessionCore;
  user: User;
}

export interface SessionCacheLimits {
  /** Most sessions kept; 0 keeps none. */
  maxSessions: number;
  maxBytes: number;
  /** A session is read from the database again this long after it was read. */
  maxAgeMs: number;
}

/** Where a fill stands: the generation of changes when its database read began. */
export type FillTicket = number;

/**
 * When a fill read its row, and when the session ends as the database's clock has it,
 * both on this process's monotonic clock (performance.now(), milliseconds).
 */
export interface FillTimes {
  readAt: number;
  endsAt: number;
}

/**
 * The staleness bound: the cache answers only while every ending committed more than this
 * long ago is proven to have arrived (docs/decisions/010-session-cache.md).
 */
export const MAX_STALENESS_MS = 1_000;

/**
 * Kept small on purpose: an instance may hold a hundred thousand of these. Times are whole
 * seconds, small integers V8 stores in the object itself (a millisecond time would be a
 * separate heap number each); pages get full objects, made on every hit.
 */
interface CachedSession {
  user: CachedUser;
  /** As stored, seconds since EPOCH: what pages show. */
  createdAt: number;
  expiresAt: number;
  lastSeenAt: number;
  /** On the monotonic clock, in seconds: when it was read (rounded down) and when it ends (rounded down, so never late). */
  readAt: number;
  endsAt: number;
}

const EPOCH_MS = Date.UTC(2020, 0, 1);
const toSeconds = (date: Date) => Math.floor((date.getTime() - EPOCH_MS) / 1000);
const fromSeconds = (seconds: number) => new Date(EPOCH_MS + seconds * 1000);

/** A user row in camelCase (its Discord identity), with times as seconds to stay small. */
interface CachedUser extends DiscordIdentity {
  id: string;
  createdAt: number;
  updatedAt: number;
  lastLoginAt: number;
  /** Cached sessions that point at this user: it goes with the last of them. */
  sessions: number;
  bytes: number;
  /** The user changed since: sessions that point here must be read again. */
  gone: boolean;
}

interface Change {
  generation: number;
  sessionId?: string;
  userId?: string;
}

/** Changes remembered for fills in flight; a fill older than this many changes is not kept. */
const RECENT_CHANGES = 1024;
/**
 * Estimated bytes per cached session and user beside their text, as measured in V8 (map
 * slots, objects, headers): the bound is on what the process holds, not on a guess.
 */
const SESSION_OVERHEAD = 170;
const USER_OVERHEAD = 200;

/**
 * Active sessions of this instance, in memory (docs/decisions/010-session-cache.md). It
 * is only as good as what tells it of endings, so it answers only while a proof of
 * delivery bounds its staleness (`proven`), starts empty on every new connection
 * (`listening`), forgets what it is told has ended, and does not keep a database read
 * that raced an ending (generations). Every entry is read again after a maximum age,
 * for endings no one announced. Bounded by count and by estimated bytes; the least
 * recently used go first.
 */
export class SessionCache {
  private readonly sessions = new Map<string, CachedSession>();
  private readonly users = new Map<string, CachedUser>();
  private bytes = 0;
  private generation = 0;
  private readonly changes: Change[] = [];
  /** Listening for endings on a connection: fills may be kept. */
  private listening = false;
  /** Every ending committed before this moment (monotonic ms) has arrived. */
  private provenUpTo = -Infinity;

  constructor(private limits: SessionCacheLimits) {}

  /** Whether lookups may be answered from memory at `now` (monotonic ms). */
  isUsable(now: number): boolean {
    return now - this.provenUpTo < MAX_STALENESS_MS && this.limits.maxSessions > 0;
  }

  get size(): { sessions: number; users: number; bytes: number } {
    return { sessions: this.sessions.size, users: this.users.size, bytes: this.bytes };
  }

  setLimits(limits: SessionCacheLimits): void {
    this.limits = limits;
    this.evict();
  }

  /**
   * The cached session, null when it has expired (and is dropped), undefined when it must
   * be read from the database (not cached, cached too long ago, or not provably fresh now).
   * `now` is monotonic (performance.now()).
   */
  get(sessionId: string, now: number): ActiveSession | null | undefined {
    if (!this.isUsable(now)) return undefined;
    const cached = this.sessions.get(sessionId);
    if (!cached) return undefined;
    const seconds = now / 1000;
    if (cached.endsAt <= seconds) {
      this.drop(sessionId);
      return null;
    }
    if (cached.user.gone || seconds - cached.readAt >= this.limits.maxAgeMs / 1000) {
      // Its user changed, or it is due to be read again: read both.
      this.drop(sessionId);
      return undefined;
    }
    // Most recently used last: the map's order is the eviction order.
    this.sessions.delete(sessionId);
    this.sessions.set(sessionId, cached);
    return toActive(sessionId, cached);
  }

  /** Taken before reading a session from the database, to keep the result only if nothing changed meanwhile. */
  ticket(): FillTicket {
    return this.generation;
  }

  /** Keeps a session read from the database, unless a change to it (or a flush) came in since `ticket`. */
  store(ticket: FillTicket, { session, user }: ActiveSession, times: FillTimes): void {
    if (!this.listening || this.limits.maxSessions === 0 || this.changedSince(ticket, session.id, user.id)) return;
    this.drop(session.id);
    const cachedUser = this.users.get(user.id) ?? this.addUser(user);
    cachedUser.sessions += 1;
    this.sessions.set(session.id, {
      user: cachedUser,
      createdAt: toSeconds(session.created_at),
      expiresAt: toSeconds(session.expires_at),
      lastSeenAt: toSeconds(session.last_seen_at),
      readAt: Math.floor(times.readAt / 1000),
      endsAt: Math.floor(times.endsAt / 1000),
    });
    this.bytes += SESSION_OVERHEAD + 2 * session.id.length;
    this.evict();
  }

  /** Records the time a session was last seen (its row was just written). */
  markSeen(sessionId: string, at: Date): void {
    const cached = this.sessions.get(sessionId);
    if (cached) cached.lastSeenAt = toSeconds(at);
  }

  sessionEnded(sessionId: string): void {
    this.record({ sessionId });
    this.drop(sessionId);
  }

  /** Forgets the user; their cached sessions are read again when next used. */
  userChanged(userId: string): void {
    this.record({ userId });
    const user = this.users.get(userId);
    if (!user) return;
    user.gone = true;
    this.users.delete(userId);
    this.bytes -= user.bytes;
  }

  /** Forgets everything, and every fill in flight. */
  flush(): void {
    this.record({});
    this.sessions.clear();
    this.users.clear();
    this.bytes = 0;
  }

  /**
   * Listening on a new connection: whatever was announced before it is unknown, so
   * everything goes, and nothing is served until the first proof on it.
   */
  listeningAgain(): void {
    this.flush();
    this.listening = true;
    this.provenUpTo = -Infinity;
  }

  /** A proof sent at `sentAt` (monotonic ms) came back: every ending committed before then has arrived. */
  proven(sentAt: number): void {
    if (this.listening) this.provenUpTo = Math.max(this.provenUpTo, sentAt);
  }

  /** The connection that brings endings failed: nothing is served from memory until proven again. */
  notListening(): void {
    this.listening = false;
    this.provenUpTo = -Infinity;
  }

  private record(change: Omit<Change, "generation">): void {
    this.generation += 1;
    this.changes.push({ ...change, generation: this.generation });
    if (this.changes.length > RECENT_CHANGES) this.changes.shift();
  }

  private changedSince(ticket: FillTicket, sessionId: string, userId: string): boolean {
    if (this.generation === ticket) return false;
    const oldest = this.changes[0]?.generation ?? Infinity;
    if (oldest > ticket + 1) return true; // changes since the ticket were forgotten: assume the worst
    return this.changes.some(
      (change) =>
        change.generation > ticket &&
        ((change.sessionId === undefined && change.userId === undefined) ||
          change.sessionId === sessionId ||
          change.userId === userId),
    );
  }

  private addUser(user: User): CachedUser {
    const text = [
      user.id,
      user.discord_id,
      user.username,
      user.discriminator,
      user.global_name,
      user.avatar_hash,
      user.email,
    ];
    const cached: CachedUser = {
      id: user.id,
      discordId: user.discord_id,
      username: user.username,
      discriminator: user.discriminator,
      globalName: user.global_name,
      avatarHash: user.avatar_hash,
      email: user.email,
      emailVerified: user.email_verified,
      createdAt: user.created_at.getTime(),
      updatedAt: user.updated_at.getTime(),
      lastLoginAt: user.last_login_at?.getTime() ?? -1,
      sessions: 0,
      gone: false,
      bytes: USER_OVERHEAD + 2 * text.reduce((sum, value) => sum + (value?.length ?? 0), 0),
    };
    this.users.set(user.id, cached);
    this.bytes += cached.bytes;
    return cached;
  }

  private drop(sessionId: string): void {
    const cached = this.sessions.get(sessionId);
    if (!cached) return;
    this.sessions.delete(sessionId);
    this.bytes -= SESSION_OVERHEAD + 2 * sessionId.length;
    const { user } = cached;
    if (!user.gone && --user.sessions === 0) {
      this.users.delete(user.id);
      this.bytes -= user.bytes;
    }
  }

  private evict(): void {
    const { maxSessions, maxBytes } = this.limits;
    while (this.sessions.size > 0 && (this.sessions.size > maxSessions || this.bytes > maxBytes)) {
      this.drop(this.sessions.keys().next().value!);
    }
  }
}

function toActive(sessionId: string, cached: CachedSession): ActiveSession {
  const { user } = cached;
  return {
    session: {
      id: sessionId,
      user_id: user.id,
      created_at: fromSeconds(cached.createdAt),
      expires_at: fromSeconds(cached.expiresAt),
      last_seen_at: fromSeconds(cached.lastSeenAt),
    },
    user: {
      id: user.id,
      discord_id: user.discordId,
      username: user.username,
      discriminator: user.discriminator,
      global_name: user.globalName,
      avatar_hash: user.avatarHash,
      email: user.email,
      email_verified: user.emailVerified,
      created_at: new Date(user.createdAt),
      updated_at: new Date(user.updatedAt),
      last_login_at: user.lastLoginAt < 0 ? null : new Date(user.lastLoginAt),
    },
  };
}
