import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../tests/support/test-database";
import type { DiscordIdentity } from "./discord-identity";
import { findUserByDiscordId, upsertUserFromDiscord } from "./user.server";

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(async () => {
  await test?.destroy();
});

const nelly: DiscordIdentity = {
  discordId: "80351110224678912",
  username: "nelly",
  discriminator: null,
  globalName: "Nelly",
  avatarHash: "8342729096ea3675442027381ff50dfe",
  email: "nelly@example.com",
  emailVerified: true,
};

describe("upsertUserFromDiscord", () => {
  it("creates a user on first login and updates the same row on the next", async () => {
    const firstLogin = new Date("2026-01-01T00:00:00Z");
    const created = await upsertUserFromDiscord(test.db, nelly, firstLogin);
    expect(created).toMatchObject({
      discord_id: nelly.discordId,
      username: "nelly",
      global_name: "Nelly",
      email_verified: true,
      last_login_at: firstLogin,
    });

    const secondLogin = new Date("2026-02-01T00:00:00Z");
    const updated = await upsertUserFromDiscord(
      test.db,
      { ...nelly, username: "nelly2", email: "new@example.com", emailVerified: false, avatarHash: null },
      secondLogin,
    );
    expect(updated.id).toBe(created.id);
    expect(updated).toMatchObject({
      username: "nelly2",
      email: "new@example.com",
      email_verified: false,
      avatar_hash: null,
      updated_at: secondLogin,
      last_login_at: secondLogin,
    });
    expect(updated.created_at).toEqual(created.created_at);
    expect(await findUserByDiscordId(test.db, nelly.discordId)).toEqual(updated);
  });

  it("never creates duplicates when the same person logs in twice at once", async () => {
    const identity = { ...nelly, discordId: "175928847299117063", username: "racer" };
    const users = await Promise.all(Array.from({ length: 8 }, () => upsertUserFromDiscord(test.db, identity)));
    expect(new Set(users.map((user) => user.id)).size).toBe(1);
    const rows = await test.db.selectFrom("users").where("discord_id", "=", identity.discordId).selectAll().execute();
    expect(rows).toHaveLength(1);
  });

  it("returns nothing for unknown users", async () => {
    expect(await findUserByDiscordId(test.db, "1")).toBeUndefined();
  });
});
