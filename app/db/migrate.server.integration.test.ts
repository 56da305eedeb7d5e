import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../tests/support/test-database";
import { createDatabase } from "./db.server";
import { migrateToLatest } from "./migrate.server";

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase({ migrate: false });
});
afterAll(async () => {
  await test?.destroy();
});

async function tableNames() {
  const { rows } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = 'public' order by table_name
  `.execute(test.db);
  return rows.map((row) => row.table_name);
}

describe("migrateToLatest", () => {
  it("is safe when several instances start at once, and idempotent afterwards", async () => {
    const instances = [createDatabase(test.url), createDatabase(test.url), createDatabase(test.url)];
    try {
      const applied = await Promise.all(instances.map((db) => migrateToLatest(db)));
      // Exactly one instance applied the first migration; the others found it done.
      expect(applied.flat().filter((name) => name === "0001_users_tokens_sessions")).toHaveLength(1);
      expect(await migrateToLatest(test.db)).toEqual([]);
    } finally {
      await Promise.all(instances.map((db) => db.destroy()));
    }
    expect(await tableNames()).toEqual(
      expect.arrayContaining(["users", "discord_tokens", "sessions", "kysely_migration"]),
    );
  });

  it("indexes sessions by id and by user", async () => {
    const { rows } = await sql<{ indexdef: string }>`
      select indexdef from pg_indexes where tablename = 'sessions'
    `.execute(test.db);
    const definitions = rows.map((row) => row.indexdef).join("\n");
    expect(definitions).toMatch(/UNIQUE INDEX sessions_pkey .*\(id\)/);
    expect(definitions).toMatch(/INDEX sessions_user_id_idx .*\(user_id\)/);
  });

  it("enforces one user per Discord id and cascades deletes to tokens and sessions", async () => {
    const user = await test.db
      .insertInto("users")
      .values({ discord_id: "80351110224678912", username: "nelly" })
      .returning("id")
      .executeTakeFirstOrThrow();
    await expect(
      test.db.insertInto("users").values({ discord_id: "80351110224678912", username: "other" }).execute(),
    ).rejects.toThrow(/users_discord_id_key|unique/i);

    await test.db
      .insertInto("discord_tokens")
      .values({
        user_id: user.id,
        access_token_encrypted: "v1.x",
        refresh_token_encrypted: "v1.y",
        access_token_expires_at: new Date(Date.now() + 60_000),
        scopes: "identify",
      })
      .execute();
    await test.db
      .insertInto("sessions")
      .values({ id: "a".repeat(43), user_id: user.id, expires_at: new Date(Date.now() + 60_000) })
      .execute();

    await test.db.deleteFrom("users").where("id", "=", user.id).execute();
    expect(await test.db.selectFrom("discord_tokens").selectAll().execute()).toEqual([]);
    expect(await test.db.selectFrom("sessions").selectAll().execute()).toEqual([]);
  });

  it("rejects malformed rows at the database too", async () => {
    await expect(
      test.db.insertInto("users").values({ discord_id: "not-a-snowflake", username: "x" }).execute(),
    ).rejects.toThrow(/check constraint/i);
    const user = await test.db
      .insertInto("users")
      .values({ discord_id: "1", username: "y" })
      .returning("id")
      .executeTakeFirstOrThrow();
    await expect(
      test.db.insertInto("sessions").values({ id: "short", user_id: user.id, expires_at: new Date() }).execute(),
    ).rejects.toThrow(/check constraint/i);
  });
});
