import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { createDatabase } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import { findUserByDiscordId, upsertUserFromDiscord } from "~/models/user.server";
import { startEmbeddedPostgres } from "./embedded-postgres";

// Runs on the embedded Postgres whatever DATABASE_URL says: this is the path a fresh
// clone takes, so CI proves it even when the other tests use a real server.
const dataDir = mkdtempSync(path.join(tmpdir(), "embedded-pg-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("embedded Postgres", () => {
  it("keeps concurrent connections' queries apart (parameterised queries, transactions)", async () => {
    const server = await startEmbeddedPostgres({ dataDir: "memory://" });
    // Three pools of four, as three app instances would open them.
    const pools = [
      createDatabase(server.url, { maxConnections: 4 }),
      createDatabase(server.url, { maxConnections: 4 }),
      createDatabase(server.url, { maxConnections: 4 }),
    ];
    try {
      const echoes = await Promise.all(
        Array.from({ length: 90 }, async (_, index) => {
          const db = pools[index % 3]!;
          if (index % 10 === 0) {
            // Some in transactions, interleaved with the others' single statements.
            return db.transaction().execute(async (tx) => {
              const first = await sql<{ n: number }>`select ${index}::int as n`.execute(tx);
              const second = await sql<{ n: number }>`select ${first.rows[0]!.n}::int + 0 as n`.execute(tx);
              return second.rows[0]!.n;
            });
          }
          return (
            await sql<{ n: number }>`select ${index}::int as n, ${"x".repeat(index)}::text as padding`.execute(db)
          ).rows[0]!.n;
        }),
      );
      expect(echoes).toEqual(Array.from({ length: 90 }, (_, index) => index));
    } finally {
      await Promise.all(pools.map((db) => db.destroy()));
      await server.stop();
    }
  });

  it("migrates, round-trips a user over pg, and keeps the data across restarts", async () => {
    const first = await startEmbeddedPostgres({ dataDir });
    const db = createDatabase(first.url);
    try {
      const migrations = readdirSync(new URL("../migrations", import.meta.url))
        .filter((file) => file.endsWith(".ts"))
        .map((file) => file.slice(0, -".ts".length))
        .sort();
      expect(migrations[0]).toBe("0001_users_tokens_sessions");
      expect(await migrateToLatest(db)).toEqual(migrations);
      const user = await upsertUserFromDiscord(db, {
        discordId: "80351110224678912",
        username: "nelly",
        discriminator: "1234",
        globalName: null,
        avatarHash: null,
        email: null,
        emailVerified: false,
      });
      expect(user.id).toMatch(/^[0-9a-f-]{36}$/);
      // Several pooled connections at once, as the app opens them.
      const results = await Promise.all(
        Array.from({ length: 12 }, () => sql<{ n: number }>`select count(*)::int as n from users`.execute(db)),
      );
      expect(results.map((result) => result.rows[0]?.n)).toEqual(Array(12).fill(1));
    } finally {
      await db.destroy();
      await first.stop();
    }

    const second = await startEmbeddedPostgres({ dataDir });
    const again = createDatabase(second.url);
    try {
      expect(await migrateToLatest(again)).toEqual([]);
      expect(await findUserByDiscordId(again, "80351110224678912")).toMatchObject({ username: "nelly" });
    } finally {
      await again.destroy();
      await second.stop();
    }
  });
});
