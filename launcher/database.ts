import { existsSync } from "node:fs";
import { sql } from "kysely";
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
  const { startEmbeddedPostgres } = await import("./embedded-postgres").catch((error: unknown) => {
    // A production install (npm ci --omit=optional) leaves PGlite out: say what to do.
    if ((error as { code?: string }).code !== "ERR_MODULE_NOT_FOUND") throw error;
    throw new Error(
      "DATABASE_URL is not set, and the embedded Postgres is not installed (npm ci --omit=optional): set DATABASE_URL to your Postgres server",
    );
  });
  const embedded = await startEmbeddedPostgres({ dataDir });
  shutdown.add("embedded Postgres", () => embedded.stop());
  const where = inMemory ? "in memory, gone when it stops" : `data in ${shown}`;
  status(
    "database",
    `embedded Postgres (PGlite) at ${embedded.url}, ${where}; set DATABASE_URL to use your own server`,
  );
  return embedded.url;
}

/**
 * At boot the database may not be up yet (the machine is starting, Postgres is
 * restarting): a start waits for it, saying so, for up to DATABASE_WAIT_SECONDS (60 by
 * default), instead of failing at once and leaning on the service manager's restarts.
 * What waiting cannot mend (a wrong password, a database that does not exist) fails at once.
 */
export async function waitForDatabase(databaseUrl: string, waitSeconds: number): Promise<void> {
  const started = Date.now();
  let nextReport = started + 5_000;
  for (let attempt = 0; ; attempt += 1) {
    const db = createDatabase(databaseUrl, { maxConnections: 1 });
    try {
      await sql`select 1`.execute(db);
      if (attempt > 0) status("database", `accepting connections after ${seconds(Date.now() - started)}`);
      return;
    } catch (error) {
      const reason = describeConnectionError(error);
      if (!mayComeUp(error)) throw new Error(`DATABASE_URL: cannot connect (${reason})`);
      if (Date.now() - started >= waitSeconds * 1000) {
        throw new Error(
          `DATABASE_URL: not accepting connections after ${waitSeconds} s (${reason}); DATABASE_WAIT_SECONDS sets how long a start waits`,
        );
      }
      if (attempt === 0) {
        status("database", `not accepting connections yet (${reason}); waiting up to ${waitSeconds} s…`);
      } else if (Date.now() >= nextReport) {
        status("database", `still waiting (${seconds(Date.now() - started)}; ${reason})…`);
        nextReport += 5_000;
      }
    } finally {
      await db.destroy();
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

/**
 * Whether a failed connection may succeed later: anything short of an answer from a
 * running server (refused, reset, timed out, a name not resolving yet) and a server that
 * says it is starting or shutting down. A SQLSTATE of any other class (28: bad
 * credentials, 3D: no such database…) is a mistake to fix, not to wait out.
 */
function mayComeUp(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== "string" || !/^[0-9A-Z]{5}$/.test(code)) return true;
  return code.startsWith("08") || code === "57P01" || code === "57P02" || code === "57P03";
}

function describeConnectionError(error: unknown): string {
  const { code, message } = error as { code?: unknown; message?: unknown };
  const text = typeof message === "string" && message ? message : String(error);
  return typeof code === "string" && !text.includes(code) ? `${code}: ${text}` : text;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

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
