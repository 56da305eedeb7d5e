import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { getConfig } from "~/config.server";
import { log } from "~/utils/logger.server";
import type { Database } from "./schema";
import { answering503WhenUnavailable } from "./unavailable.server";

export type DB = Kysely<Database>;

export interface DatabaseOptions {
  /** Most connections one process keeps open. */
  maxConnections?: number;
  /** Longest a query may take before the client gives up (default 15 s; bulk jobs need more). */
  queryTimeoutMs?: number;
  /** Answer "Postgres cannot be reached" with a thrown 503 Response (the app's requests). */
  unavailableAs503?: (error: Error) => void;
}

/** A Kysely instance over a `pg` pool. The caller owns it and must `destroy()` it. */
export function createDatabase(connectionString: string, options: DatabaseOptions = {}): DB {
  const pool = new pg.Pool({
    connectionString,
    // Shown in pg_stat_activity, so operators can tell the app's connections apart.
    application_name: "remix-discord-login",
    max: options.maxConnections ?? 10,
    // Fail fast when the server is unreachable so pages and /healthz answer 503
    // promptly instead of hanging until the client gives up.
    connectionTimeoutMillis: 5_000,
    // A server that accepts a query and never answers must not hold a request forever.
    query_timeout: options.queryTimeoutMs ?? 15_000,
    idleTimeoutMillis: 30_000,
    // Idle connections must not keep a stopping process alive: remix-serve closes its
    // HTTP server on SIGTERM and expects the process to exit once requests finish.
    allowExitOnIdle: true,
  });
  // An idle client whose server went away emits 'error' on the pool; without a
  // listener Node would crash the process. The next checkout reconnects.
  pool.on("error", () => {});
  // A client that is checked out but between queries (inside a transaction, say) when
  // the server goes away emits 'error' on itself, where the pool listens only while it
  // is idle: unheard, that would crash the process. Its next query fails instead, and
  // the pool discards it when it is released.
  pool.on("connect", (client) => client.on("error", () => {}));
  const dialectPool = options.unavailableAs503 ? answering503WhenUnavailable(pool, options.unavailableAs503) : pool;
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: dialectPool }) });
}

// One pool per process. Kept on globalThis so `remix dev` reloads reuse it
// instead of leaking a pool per rebuild.
const globalForDb = globalThis as typeof globalThis & { __appDb?: DB };

export function getDb(): DB {
  const config = getConfig();
  globalForDb.__appDb ??= createDatabase(config.databaseUrl, {
    maxConnections: config.databasePoolSize,
    unavailableAs503: (error) => log.error("database unavailable", { error: error.message }),
  });
  return globalForDb.__appDb;
}

/** Closes this process's pool (graceful shutdown, tests); the next getDb() opens a new one. */
export async function closeDb(): Promise<void> {
  const db = globalForDb.__appDb;
  globalForDb.__appDb = undefined;
  await db?.destroy();
}
