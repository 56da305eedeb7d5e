import { describe, expect, it } from "vitest";
import type { User } from "~/db/schema";
import { MAX_STALENESS_MS, SessionCache, type ActiveSession } from "./session-cache.server";

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

/** The process's monotonic clock in these tests (performance.now(), milliseconds). */
const T = 5_000_000;
const LIMITS = { maxSessions: 100, maxBytes: 1_000_000, maxAgeMs: 60_000 };

function active(sessionId: string, userId = `u-${sessionId}`): ActiveSession {
  return {
    session: {
      id: sessionId,
      user_id: userId,
      created_at: new Date(NOW),
      expires_at: new Date(NOW + 60_000),
      last_seen_at: new Date(NOW),
    },
    user: user(userId),
  };
}

/** Read at T, ending `endsIn` later by the database's clock. */
const readAtT = (endsIn = 60_000) => ({ readAt: T, endsAt: T + endsIn });

/** Listening, with every ending committed before T proven to have arrived. */
function provenCache(limits = LIMITS): SessionCache {
  const cache = new SessionCache(limits);
  cache.listeningAgain();
  cache.proven(T);
  return cache;
}

describe("the session cache", () => {
  it("answers from memory only while the latest proof bounds its staleness to a second", () => {
    const cache = provenCache();
    cache.store(cache.ticket(), active("a"), readAtT());
    expect(cache.get("a", T + 500)?.user.id).toBe("u-a");
    expect(cache.get("b", T + 500)).toBeUndefined(); // not cached: read the database
    expect(cache.get("a", T + MAX_STALENESS_MS)).toBeUndefined(); // no proof since T: an ending may be on its way
    cache.proven(T + 900);
    expect(cache.get("a", T + MAX_STALENESS_MS)?.user.id).toBe("u-a");
    cache.proven(T + 100); // an older proof moves nothing back
    expect(cache.get("a", T + 1_800)?.user.id).toBe("u-a");
  });

  it("never answers after the session ended by the database's clock, or past the maximum age", () => {
    const cache = provenCache({ ...LIMITS, maxAgeMs: 10_000 });
    cache.store(cache.ticket(), active("a"), readAtT(5_000));
    cache.store(cache.ticket(), active("b"), readAtT());
    cache.proven(T + 9_500);
    expect(cache.get("a", T + 4_999)).toBeDefined();
    expect(cache.get("a", T + 5_000)).toBeNull(); // ended: no session, and dropped
    expect(cache.get("b", T + 9_999)).toBeDefined();
    cache.proven(T + 10_000);
    expect(cache.get("b", T + 10_000)).toBeUndefined(); // read again: whatever no trigger announced is seen
    expect(cache.size.sessions).toBe(0);
  });

  it("keeps nothing while not listening, and starts empty on a new connection", () => {
    const cache = provenCache();
    cache.store(cache.ticket(), active("a"), readAtT());
    cache.notListening();
    expect(cache.isUsable(T)).toBe(false);
    expect(cache.get("a", T)).toBeUndefined();
    cache.store(cache.ticket(), active("b"), readAtT());
    cache.proven(T); // a late proof from the lost connection proves nothing
    expect(cache.isUsable(T)).toBe(false);
    cache.listeningAgain(); // what was announced meanwhile is unknown: everything goes
    expect(cache.size.sessions).toBe(0);
    cache.store(cache.ticket(), active("c"), readAtT());
    expect(cache.get("c", T)).toBeUndefined(); // not until a proof arrives on the new connection
    cache.proven(T);
    expect(cache.get("c", T)).toBeDefined();
  });

  it("drops a session that ended, and every session of a user that changed", () => {
    const cache = provenCache();
    for (const [sessionId, userId] of [
      ["a", "alice"],
      ["b", "alice"],
      ["c", "carol"],
    ]) {
      cache.store(cache.ticket(), active(sessionId!, userId), readAtT());
    }
    expect(cache.size.users).toBe(2); // one copy of alice for both her sessions
    cache.sessionEnded("c");
    expect(cache.get("c", T)).toBeUndefined();
    cache.userChanged("alice");
    expect(cache.get("a", T)).toBeUndefined();
    expect(cache.get("b", T)).toBeUndefined();
    expect(cache.size).toEqual({ sessions: 0, users: 0, bytes: 0 });
  });

  it("does not keep a database read that a change overtook", () => {
    const cache = provenCache();
    const ticket = cache.ticket(); // the read begins
    cache.sessionEnded("a"); // the session ends while it is in flight
    cache.store(ticket, active("a"), readAtT()); // the (old) row arrives
    expect(cache.get("a", T)).toBeUndefined();

    const another = cache.ticket();
    cache.userChanged("u-b");
    cache.store(another, active("b"), readAtT());
    expect(cache.get("b", T)).toBeUndefined();

    const unrelated = cache.ticket();
    cache.sessionEnded("x"); // someone else's
    cache.store(unrelated, active("c"), readAtT());
    expect(cache.get("c", T)).toBeDefined();

    const beforeFlush = cache.ticket();
    cache.flush();
    cache.store(beforeFlush, active("d"), readAtT());
    expect(cache.get("d", T)).toBeUndefined();
  });

  it("keeps nothing when too many changes came in to tell", () => {
    const cache = provenCache();
    const ticket = cache.ticket();
    for (let index = 0; index < 2_000; index += 1) cache.sessionEnded(`other-${index}`);
    cache.store(ticket, active("a"), readAtT());
    expect(cache.get("a", T)).toBeUndefined();
  });

  it("stays within its bounds, forgetting the least recently used first", () => {
    const byCount = provenCache({ ...LIMITS, maxSessions: 3 });
    for (const id of ["a", "b", "c"]) byCount.store(byCount.ticket(), active(id), readAtT());
    byCount.get("a", T); // used: kept
    byCount.store(byCount.ticket(), active("d"), readAtT());
    expect(["a", "b", "c", "d"].map((id) => byCount.get(id, T) !== undefined)).toEqual([true, false, true, true]);

    const byBytes = provenCache({ ...LIMITS, maxSessions: 1_000, maxBytes: 5_000 });
    for (let index = 0; index < 100; index += 1) byBytes.store(byBytes.ticket(), active(`s${index}`), readAtT());
    expect(byBytes.size.bytes).toBeLessThanOrEqual(5_000);
    expect(byBytes.size.sessions).toBeGreaterThan(0);
    expect(byBytes.get("s99", T)).toBeDefined(); // the newest stay
  });
});
