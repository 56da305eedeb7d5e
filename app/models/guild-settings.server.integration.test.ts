import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../tests/support/test-database";
import {
  listGuildSettingChanges,
  readGuildSettings,
  recordTestMessage,
  saveGuildSettings,
} from "./guild-settings.server";
import { upsertUserFromDiscord } from "./user.server";

let test: TestDatabase;
const people: Record<"ada" | "bo", string> = { ada: "", bo: "" };
beforeAll(async () => {
  test = await createTestDatabase();
  for (const [index, name] of (["ada", "bo"] as const).entries()) {
    const user = await upsertUserFromDiscord(test.db, {
      discordId: `90000000000000000${index}`,
      username: name,
      discriminator: null,
      globalName: name === "ada" ? "Ada" : null,
      avatarHash: null,
      email: null,
      emailVerified: false,
    });
    people[name] = user.id;
  }
});
afterAll(async () => {
  await test?.destroy();
});

let nextGuild = 1_000n;
const aGuild = () => String(267668737228804096n + (nextGuild += 1n));

describe("a server's settings", () => {
  it("reads as never saved (version 0) until the first save, then as saved, by whom", async () => {
    const guildId = aGuild();
    expect(await readGuildSettings(test.db, guildId)).toMatchObject({
      version: 0,
      welcomeMessage: "",
      updatedBy: null,
    });
    const outcome = await saveGuildSettings(test.db, {
      guildId,
      userId: people.ada,
      expectedVersion: 0,
      welcomeChannelId: "267668737228804106",
      welcomeMessage: "Welcome!",
    });
    expect(outcome).toMatchObject({
      saved: true,
      settings: {
        version: 1,
        welcomeMessage: "Welcome!",
        welcomeChannelId: "267668737228804106",
        updatedBy: { name: "Ada" },
      },
    });
  });

  it("keeps a trail of what changed, by whom, newest first, and a test message among them", async () => {
    const guildId = aGuild();
    const save = (userId: string, expectedVersion: number, welcomeMessage: string, welcomeChannelId: string | null) =>
      saveGuildSettings(test.db, { guildId, userId, expectedVersion, welcomeMessage, welcomeChannelId });
    await save(people.ada, 0, "Hello", null);
    await save(people.bo, 1, "Hello", "267668737228804106"); // only the channel changed
    await save(people.bo, 2, "Hello", "267668737228804106"); // nothing changed: nothing recorded
    await recordTestMessage(test.db, guildId, people.ada, "267668737228804106");
    const changes = await listGuildSettingChanges(test.db, guildId);
    expect(changes.map(({ field, oldValue, newValue, by }) => ({ field, oldValue, newValue, by }))).toEqual([
      { field: "test_message", oldValue: null, newValue: "267668737228804106", by: "Ada" },
      { field: "welcome_channel_id", oldValue: null, newValue: "267668737228804106", by: "bo" },
      { field: "welcome_message", oldValue: "", newValue: "Hello", by: "Ada" },
    ]);
    expect(changes.every((change) => change.changedAt instanceof Date)).toBe(true);
  });

  it("never loses an update: of two saves made from the same version, the first wins and the second is told", async () => {
    const guildId = aGuild();
    const base = { guildId, welcomeChannelId: null };
    await saveGuildSettings(test.db, { ...base, userId: people.ada, expectedVersion: 0, welcomeMessage: "v1" });
    const first = await saveGuildSettings(test.db, {
      ...base,
      userId: people.ada,
      expectedVersion: 1,
      welcomeMessage: "Ada's",
    });
    const second = await saveGuildSettings(test.db, {
      ...base,
      userId: people.bo,
      expectedVersion: 1,
      welcomeMessage: "Bo's",
    });
    expect(first).toMatchObject({ saved: true, settings: { version: 2, welcomeMessage: "Ada's" } });
    expect(second).toMatchObject({
      saved: false,
      current: { version: 2, welcomeMessage: "Ada's", updatedBy: { name: "Ada" } },
    });
    const trail = await listGuildSettingChanges(test.db, guildId);
    expect(trail.map((change) => change.newValue)).toEqual(["Ada's", "v1"]);
  });

  it("lets exactly one of many simultaneous saves through, first save or not", async () => {
    for (const startVersion of [0, 1]) {
      const guildId = aGuild();
      if (startVersion === 1) {
        await saveGuildSettings(test.db, {
          guildId,
          userId: people.ada,
          expectedVersion: 0,
          welcomeMessage: "start",
          welcomeChannelId: null,
        });
      }
      const outcomes = await Promise.all(
        Array.from({ length: 8 }, (_, index) =>
          saveGuildSettings(test.db, {
            guildId,
            userId: index % 2 ? people.bo : people.ada,
            expectedVersion: startVersion,
            welcomeMessage: `attempt ${index}`,
            welcomeChannelId: null,
          }),
        ),
      );
      const winners = outcomes.filter((outcome) => outcome.saved);
      expect(winners, `from version ${startVersion}`).toHaveLength(1);
      const final = await readGuildSettings(test.db, guildId);
      expect(final.version).toBe(startVersion + 1);
      // Every loser is answered the winner's settings, to try again on top of them.
      const answered = outcomes.flatMap((outcome) => (outcome.saved ? [] : [outcome.current.version]));
      expect(new Set(answered)).toEqual(new Set([final.version]));
    }
  });

  it("refuses what the database must never hold: a message over 2,000 characters, a channel that is no id", async () => {
    const guildId = aGuild();
    const save = (welcomeMessage: string, welcomeChannelId: string | null) =>
      saveGuildSettings(test.db, { guildId, userId: people.ada, expectedVersion: 0, welcomeMessage, welcomeChannelId });
    await expect(save("x".repeat(2001), null)).rejects.toThrow(/check constraint/);
    await expect(save("ok", "general")).rejects.toThrow(/check constraint/);
    expect((await readGuildSettings(test.db, guildId)).version).toBe(0);
  });

  it("keeps the trail of someone whose account is deleted, without their name", async () => {
    const guildId = aGuild();
    const gone = await upsertUserFromDiscord(test.db, {
      discordId: "900000000000000009",
      username: "gone",
      discriminator: null,
      globalName: null,
      avatarHash: null,
      email: null,
      emailVerified: false,
    });
    await saveGuildSettings(test.db, {
      guildId,
      userId: gone.id,
      expectedVersion: 0,
      welcomeMessage: "hi",
      welcomeChannelId: null,
    });
    await test.db.deleteFrom("users").where("id", "=", gone.id).execute();
    expect((await readGuildSettings(test.db, guildId)).updatedBy).toBeNull();
    expect(await listGuildSettingChanges(test.db, guildId)).toEqual([
      expect.objectContaining({ newValue: "hi", by: null }),
    ]);
  });
});
