import { existsSync } from "node:fs";
import path from "node:path";
import { createDatabase } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import { lockDataDir } from "./data-dir-lock";
import { DEFAULT_EMBEDDED_DATABASE_DIR, isSet, type Environment } from "./environment";
import { redactUrl, status } from "./log";
import type { Shutdown } from "./shutdown";

/** DATABASE_URL when set; otherwise an embedded Postgres whose data lives in the repo's .data/. */
export async function provideDatabase(env: Environment, root: string, shutdown: Shutdown): Promise<string> {
  if (isSet(env.DATABASE_URL)) {
    status("database", `Postgres at ${redactUrl(env.DATABASE_URL)} (from DATABASE_URL)`);
    return env.DATABASE_URL;
  }
  const configured = isSet(env.EMBEDDED_DATABASE_DIR) ? env.EMBEDDED_DATABASE_DIR : DEFAULT_EMBEDDED_DATABASE_DIR;
  const inMemory = configured.startsWith("memory://");
  const dataDir = inMemory ? configured : path.resolve(root, configured);
  const relative = path.relative(root, dataDir);
  const shown = inMemory || relative.startsWith("..") || path.isAbsolute(relative) ? configured : relative;
  if (!inMemory) {
    const lock = await lockDataDir(dataDir, {
      onWait: ({ pid }) =>
        status("database", `${shown} is held by a launcher that is stopping (pid ${pid}); waiting for it…`),
    });
    // Set first thing when this launcher stops, so a new one waits rather than refuses.
    shutdown.onBegin(() => lock.markStopping());
    shutdown.add("data folder lock", () => lock.release());
  }
  const firstStart = !inMemory && !existsSync(path.join(dataDir, "PG_VERSION"));
  status(
    "database",
    firstStart
      ? `creating the embedded Postgres (PGlite) in ${shown}, once: this takes a few seconds…`
      : `starting the embedded Postgres (PGlite), ${inMemory ? "in memory" : `data in ${shown}`}…`,
  );
  // Loaded only here: with DATABASE_URL set, PGlite's WebAssembly is never read.
  const { startEmbeddedPostgres } = await import("./embedded-postgres");
  const embedded = await startEmbeddedPostgres({ dataDir });
  shutdown.add("embedded Postgres", () => embedded.stop());
  const where = inMemory ? "in memory, gone when it stops" : `data in ${shown}`;
  status(
    "database",
    `embedded Postgres (PGlite) at ${embedded.url}, ${where}; set DATABASE_URL to use your own server`,
  );
  return embedded.url;
}

export async function applyMigrations(databaseUrl: string): Promise<void> {
  status("migrations", "applying any that are pending…");
  const db = createDatabase(databaseUrl, { maxConnections: 1 });
  try {
    const applied = await migrateToLatest(db);
    status("migrations", applied.length > 0 ? `applied ${applied.join(", ")}` : "up to date");
  } finally {
    await db.destroy();
  }
}
