import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../tests/support/test-database";
import { sha256 } from "~/crypto/sha256.server";
import {
  createSession,
  deleteOtherSessions,
  deleteSessionBySecret,
  findActiveSession,
  listUserSessions,
} from "./session.server";
import { upsertUserFromDiscord } from "./user.server";

let test: TestDatabase;
let userId: string;
const client = { userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/156", ip: "203.0.113.9" };
const DAY = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  test = await createTestDatabase();
  const user = await upsertUserFromDiscord(test.db, {
    discordId: "80351110224678912",
    username: "nelly",
    discriminator: null,
    globalName: "Nelly",
    avatarHash: null,
    email: null,
    emailVerified: false,
  });
  userId = user.id;
});
afterAll(async () => {
  await test?.destroy();
});

describe("sessions", () => {
  it("finds the session and its user from the cookie secret, storing only its hash", async () => {
    const { secret, session } = await createSession(test.db, userId, client, 30 * DAY);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.id).toBe(sha256(secret));
    expect(session.id).not.toBe(secret);
    const rows = await test.db.selectFrom("sessions").select("id").execute();
    expect(rows.map((row) => row.id)).not.toContain(secret);

    const active = await findActiveSession(test.db, secret);
    expect(active?.user).toMatchObject({ id: userId, username: "nelly", global_name: "Nelly" });
    expect(active?.session).toMatchObject({ id: session.id, user_id: userId });
    const [listed] = (await listUserSessions(test.db, userId)).filter((row) => row.id === session.id);
    expect(listed).toMatchObject({ ip: "203.0.113.9", user_agent: expect.stringContaining("Chrome/156") });
  });

  it("finds nothing for unknown, malformed or expired secrets", async () => {
    const { secret, session } = await createSession(test.db, userId, client, DAY);
    expect(await findActiveSession(test.db, secret)).not.toBeNull();
    // Expired by the database's clock, the one that decides.
    await test.db
      .updateTable("sessions")
      .set({ expires_at: sql`now()` })
      .where("id", "=", session.id)
      .execute();
    expect(await findActiveSession(test.db, secret)).toBeNull();
    expect(await listUserSessions(test.db, userId)).not.toContainEqual(expect.objectContaining({ id: session.id }));
    expect(await findActiveSession(test.db, "x".repeat(43))).toBeNull();
    expect(await findActiveSession(test.db, "short")).toBeNull();
    expect(await findActiveSession(test.db, undefined)).toBeNull();
    expect(await findActiveSession(test.db, { secret })).toBeNull();
  });

  it("truncates oversized client details instead of failing the login", async () => {
    const { session } = await createSession(test.db, userId, { userAgent: "A".repeat(5000), ip: "9".repeat(100) }, DAY);
    expect(session.user_agent).toHaveLength(512);
    expect(session.ip).toHaveLength(64);
  });

  it("ends one session, or all of a user's sessions but one", async () => {
    const first = await createSession(test.db, userId, client, DAY);
    const second = await createSession(test.db, userId, client, DAY);
    const third = await createSession(test.db, userId, client, DAY);
    await deleteSessionBySecret(test.db, first.secret);
    await deleteSessionBySecret(test.db, "not-a-secret"); // ignored, not an error
    expect(await findActiveSession(test.db, first.secret)).toBeNull();
    expect(await findActiveSession(test.db, second.secret)).not.toBeNull();
    expect(await deleteOtherSessions(test.db, userId, third.session.id)).toBeGreaterThanOrEqual(1);
    expect(await findActiveSession(test.db, second.secret)).toBeNull();
    expect(await findActiveSession(test.db, third.secret)).not.toBeNull();
  });
});
