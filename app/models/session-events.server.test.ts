import { performance } from "node:perf_hooks";
import { afterEach, describe, expect, it } from "vitest";
import type { User } from "~/db/schema";
import { activeSessions, applySessionChange } from "./session-events.server";

function sessionOf(id: string, userId: string) {
  const at = new Date();
  const user: User = {
    id: userId,
    discord_id: "80351110224678912",
    username: userId,
    discriminator: null,
    global_name: null,
    avatar_hash: null,
    email: null,
    email_verified: false,
    created_at: at,
    updated_at: at,
    last_login_at: at,
  };
  const now = performance.now();
  activeSessions.store(
    activeSessions.ticket(),
    { session: { id, user_id: userId, created_at: at, expires_at: at, last_seen_at: at }, user },
    { readAt: now, endsAt: now + 60_000 },
  );
}

const cached = (id: string) => activeSessions.get(id, performance.now()) !== undefined;

describe("messages on the session_changes channel", () => {
  afterEach(() => activeSessions.notListening());

  it("end a session, a user's sessions, or, when not understood, everything", () => {
    activeSessions.setLimits({ maxSessions: 10, maxBytes: 1_000_000, maxAgeMs: 60_000 });
    activeSessions.listeningAgain();
    activeSessions.proven(performance.now());
    for (const [id, userId] of [
      ["s1", "alice"],
      ["s2", "alice"],
      ["s3", "bob"],
      ["s4", "carol"],
    ] as const)
      sessionOf(id, userId);
    expect(["s1", "s2", "s3", "s4"].every(cached)).toBe(true);

    applySessionChange("s:s3");
    expect(cached("s3")).toBe(false);
    applySessionChange("u:alice");
    expect([cached("s1"), cached("s2"), cached("s4")]).toEqual([false, false, true]);

    for (const message of ["*", "x:s4", "", "S:s4"]) {
      sessionOf("s4", "carol");
      expect(cached("s4")).toBe(true);
      applySessionChange(message);
      expect(activeSessions.size.sessions, `after ${JSON.stringify(message)}`).toBe(0);
    }
  });
});
