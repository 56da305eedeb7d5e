import { describe, expect, it } from "vitest";
import type { User } from "~/db/schema";
import { SessionCache, type ActiveSession } from "./session-cache.server";

const NOW = Date.parse("2026-11-30T12:00:00Z");

function user(id: string): User {
  return {
    id,
    discord_id: "80351110224678912",
    username: `user-${id}`,
    discriminator: null,
    global_name: null,
    avatar_hash: null,
    email: null,
    email_verified: false,
    created_at: new Date(NOW),
    updated_at: new Date(NOW),
    last_login_at: new Date(NOW),
  };
}

function active(sessionId: string, userId = `u-${sessionId}`, expiresIn = 60_000): ActiveSession {
  return {
    session: {
      id: sessionId,
      user_id: userId,
      created_at: new Date(NOW),
      expires_at: new Date(NOW + expiresIn),
      last_seen_at: new Date(NOW),
    },
    user: user(userId),
  };
}

function usableCache(limits = { maxSessions: 100, maxBytes: 1_000_000 }): SessionCache {
  const cache = new SessionCache(limits);
  cache.setUsable(true);
  return cache;
}

describe("the session cache", () => {
  it("answers from memory only while usable, and never after the session expired", () => {
    const cache = usableCache();
    cache.store(cache.ticket(), active("a"));
    expect(cache.get("a", NOW)?.user.id).toBe("u-a");
    expect(cache.get("b", NOW)).toBeUndefined(); // not cached: read the database
    expect(cache.get("a", NOW + 60_000)).toBeNull(); // expired: no session, and dropped
    expect(cache.size.sessions).toBe(0);

    cache.store(cache.ticket(), active("c"));
    cache.setUsable(false);
    expect(cache.get("c", NOW)).toBeUndefined();
    cache.store(cache.ticket(), active("d"));
    expect(cache.size.sessions).toBe(1); // nothing kept while unusable
    cache.setUsable(true); // notifications proven again: whatever was missed is forgotten
    expect(cache.size.sessions).toBe(0);
  });

  it("drops a session that ended, and every session of a user that changed", () => {
    const cache = usableCache();
    for (const [sessionId, userId] of [
      ["a", "alice"],
      ["b", "alice"],
      ["c", "carol"],
    ]) {
      cache.store(cache.ticket(), active(sessionId!, userId));
    }
    expect(cache.size.users).toBe(2); // one copy of alice for both her sessions
    cache.sessionEnded("c");
    expect(cache.get("c", NOW)).toBeUndefined();
    cache.userChanged("alice");
    expect(cache.get("a", NOW)).toBeUndefined();
    expect(cache.get("b", NOW)).toBeUndefined();
    expect(cache.size).toEqual({ sessions: 0, users: 0, bytes: 0 });
  });

  it("does not keep a database read that a change overtook", () => {
    const cache = usableCache();
    const ticket = cache.ticket(); // the read begins
    cache.sessionEnded("a"); // the session ends while it is in flight
    cache.store(ticket, active("a")); // the (old) row arrives
    expect(cache.get("a", NOW)).toBeUndefined();

    const another = cache.ticket();
    cache.userChanged("u-b");
    cache.store(another, active("b"));
    expect(cache.get("b", NOW)).toBeUndefined();

    const unrelated = cache.ticket();
    cache.sessionEnded("x"); // someone else's
    cache.store(unrelated, active("c"));
    expect(cache.get("c", NOW)).toBeDefined();

    const beforeFlush = cache.ticket();
    cache.flush();
    cache.store(beforeFlush, active("d"));
    expect(cache.get("d", NOW)).toBeUndefined();
  });

  it("keeps nothing when too many changes came in to tell", () => {
    const cache = usableCache();
    const ticket = cache.ticket();
    for (let index = 0; index < 2_000; index += 1) cache.sessionEnded(`other-${index}`);
    cache.store(ticket, active("a"));
    expect(cache.get("a", NOW)).toBeUndefined();
  });

  it("stays within its bounds, forgetting the least recently used first", () => {
    const byCount = usableCache({ maxSessions: 3, maxBytes: 1_000_000 });
    for (const id of ["a", "b", "c"]) byCount.store(byCount.ticket(), active(id));
    byCount.get("a", NOW); // used: kept
    byCount.store(byCount.ticket(), active("d"));
    expect(["a", "b", "c", "d"].map((id) => byCount.get(id, NOW) !== undefined)).toEqual([true, false, true, true]);

    const byBytes = usableCache({ maxSessions: 1_000, maxBytes: 5_000 });
    for (let index = 0; index < 100; index += 1) byBytes.store(byBytes.ticket(), active(`s${index}`));
    expect(byBytes.size.bytes).toBeLessThanOrEqual(5_000);
    expect(byBytes.size.sessions).toBeGreaterThan(0);
    expect(byBytes.get("s99", NOW)).toBeDefined(); // the newest stay
  });
});
