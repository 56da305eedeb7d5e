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
}

/** Where a fill stands: the generation of changes when its database read began. */
export type FillTicket = number;

/**
 * Kept small on purpose: an instance may hold a hundred thousand of these. Its times are
 * whole seconds since EPOCH, small integers V8 stores in the object itself (a millisecond
 * time would be a separate heap number each); pages get full objects, made on every hit.
 */
interface CachedSession {
  user: CachedUser;
  createdAt: number;
  /** Rounded down: a session is taken as ended up to a second early, never late. */
  expiresAt: number;
  lastSeenAt: number;
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
const SESSION_OVERHEAD = 160;
const USER_OVERHEAD = 200;

/**
 * Active sessions of this instance, in memory (docs/decisions/010-session-cache.md).
 * It is only as good as what tells it of changes: it is used only while `usable` (the
 * listener proves that notifications arrive), flushed when they come back after a gap,
 * and a database read that raced a change is not kept (generations).
 * Bounded by count and by estimated bytes; the least recently used go first.
 */
export class SessionCache {
  private readonly sessions = new Map<string, CachedSession>();
  private readonly users = new Map<string, CachedUser>();
  private bytes = 0;
  private generation = 0;
  private readonly changes: Change[] = [];
  private usable = false;

  constructor(private limits: SessionCacheLimits) {}

  /** Whether lookups may be answered from memory. */
  get isUsable(): boolean {
    return this.usable && this.limits.maxSessions > 0;
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
   * be read from the database (not cached, or the cache is not usable now).
   */
  get(sessionId: string, now: number): ActiveSession | null | undefined {
    if (!this.isUsable) return undefined;
    const cached = this.sessions.get(sessionId);
    if (!cached) return undefined;
    if (cached.expiresAt <= (now - EPOCH_MS) / 1000) {
      this.drop(sessionId);
      return null;
    }
    if (cached.user.gone) {
      // Its user changed: read both again.
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
  store(ticket: FillTicket, { session, user }: ActiveSession): void {
    if (!this.isUsable || this.changedSince(ticket, session.id, user.id)) return;
    this.drop(session.id);
    const cachedUser = this.users.get(user.id) ?? this.addUser(user);
    cachedUser.sessions += 1;
    this.sessions.set(session.id, {
      user: cachedUser,
      createdAt: toSeconds(session.created_at),
      expiresAt: toSeconds(session.expires_at),
      lastSeenAt: toSeconds(session.last_seen_at),
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

  /** Forgets everything, and every fill in flight (after a gap in the notifications). */
  flush(): void {
    this.record({});
    this.sessions.clear();
    this.users.clear();
    this.bytes = 0;
  }

  /** While notifications may be missed the cache is not used; when they are proven again, it starts empty. */
  setUsable(usable: boolean): void {
    if (usable && !this.usable) this.flush();
    this.usable = usable;
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
