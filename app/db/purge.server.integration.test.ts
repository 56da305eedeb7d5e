import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EncryptionKey } from "~/config.server";
import { saveTokens } from "~/models/discord-token.server";
import { createLoginAttempt } from "~/models/login-attempt.server";
import { hitRateLimit } from "~/models/rate-limit.server";
import { resealTokens } from "~/models/reseal-tokens.server";
import { registerTokenKey, tokenKeysMissing } from "~/models/secret-checks.server";
import { createSession } from "~/models/session.server";
import { upsertUserFromDiscord } from "~/models/user.server";
import { createTestDatabase, type TestDatabase } from "../../tests/support/test-database";
import { purgeExpired } from "./purge.server";
import { bareIdentity } from "../../tests/support/identities";

let test: TestDatabase;
let userId: string;
beforeAll(async () => {
  test = await createTestDatabase();
  const user = await upsertUserFromDiscord(test.db, bareIdentity("80351110224678912", "nelly"));
  userId = user.id;
});
afterAll(async () => {
  await test?.destroy();
});

describe("purgeExpired", () => {
  it("deletes expired sessions, abandoned logins and past rate-limit windows, in batches, and keeps the rest", async () => {
    const hour = 60 * 60_000;
    const live = await createSession(test.db, userId, { userAgent: null, ip: null }, hour);
    // 12,000 expired sessions: more than two batches.
    await sql`insert into sessions (id, user_id, expires_at)
      select rpad(md5(n::text), 43, 'x'), ${userId}, now() - interval '1 minute' from generate_series(1, 12000) as n`.execute(
      test.db,
    );
    await createLoginAttempt(test.db, new Date(Date.now() - hour)); // expired ten minutes after it began
    const pending = await createLoginAttempt(test.db);
    await hitRateLimit(test.db, "old", 10, 60_000, new Date(Date.now() - hour));
    await hitRateLimit(test.db, "current", 10, 60_000);

    expect(await purgeExpired(test.db)).toEqual({ sessions: 12_000, loginAttempts: 1, rateLimitWindows: 1 });
    expect((await test.db.selectFrom("sessions").select("id").execute()).map((row) => row.id)).toEqual([
      live.session.id,
    ]);
    expect(await test.db.selectFrom("login_attempts").select("id").execute()).toHaveLength(1);
    expect((await test.db.selectFrom("rate_limit_hits").select("bucket").execute()).map((row) => row.bucket)).toEqual([
      "current",
    ]);
    expect(pending.state).toBeTruthy();
    expect(await purgeExpired(test.db)).toEqual({ sessions: 0, loginAttempts: 0, rateLimitWindows: 0 });
  });
});

describe("resealTokens", () => {
  it("retires the keys no stored token uses any more, so instances may drop them", async () => {
    const oldKey: EncryptionKey = { id: "a1d0a1d0", key: randomBytes(32) };
    const newKey: EncryptionKey = { id: "a0e0a0e0", key: randomBytes(32) };
    await registerTokenKey(test.db, oldKey);
    const user = await upsertUserFromDiscord(test.db, bareIdentity("290926444748734465", "rotating"));
    const tokens = {
      accessToken: "a",
      refreshToken: "r",
      expiresAt: new Date(Date.now() + 60_000),
      scopes: ["identify"],
    };
    await saveTokens(test.db, user.id, tokens, [oldKey]);
    await registerTokenKey(test.db, newKey);
    expect(await tokenKeysMissing(test.db, [newKey])).toContain(oldKey.id); // an instance without it would refuse
    const { retiredKeys } = await resealTokens(test.db, [newKey, oldKey]);
    expect(retiredKeys).toContain(oldKey.id);
    expect(await tokenKeysMissing(test.db, [newKey])).not.toContain(oldKey.id);
    await test.db.deleteFrom("discord_tokens").where("user_id", "=", user.id).execute();
  });

  it("rewrites tokens under the newest key and counts the ones no key opens", async () => {
    const oldKey: EncryptionKey = { id: "0ld00ld0", key: randomBytes(32) };
    const newKey: EncryptionKey = { id: "0e000e00", key: randomBytes(32) };
    const lostKey: EncryptionKey = { id: "10571057", key: randomBytes(32) };
    const tokens = {
      accessToken: "access-1",
      refreshToken: "refresh-1",
      expiresAt: new Date(Date.now() + 60_000),
      scopes: ["identify"],
    };
    await saveTokens(test.db, userId, tokens, [oldKey]);
    const other = await upsertUserFromDiscord(test.db, bareIdentity("175928847299117063", "lost"));
    await saveTokens(test.db, other.id, tokens, [lostKey]);

    expect(await resealTokens(test.db, [newKey, oldKey])).toMatchObject({ resealed: 1, unreadable: [other.id] });
    const row = await test.db
      .selectFrom("discord_tokens")
      .selectAll()
      .where("user_id", "=", userId)
      .executeTakeFirstOrThrow();
    expect(row.access_token_encrypted).toMatch(/^v1\.0e000e00\./);
    expect(row.refresh_token_encrypted).toMatch(/^v1\.0e000e00\./);
    expect(row.access_token_expires_at).toEqual(tokens.expiresAt);
    expect(await resealTokens(test.db, [newKey, oldKey])).toEqual({
      resealed: 0,
      unreadable: [other.id],
      retiredKeys: [],
    });
  });
});
