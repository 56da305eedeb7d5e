import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { servePGlite } from "./pglite-server";

export interface EmbeddedPostgres {
  /** A connection string any Postgres client (here: `pg`) can use. */
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** A folder for the data, or "memory://" for a database that vanishes on stop. */
  dataDir: string;
  /** 0 picks a free port. */
  port?: number;
}

/**
 * Runs PGlite (Postgres compiled to WebAssembly) in this process and serves it on
 * loopback with the Postgres wire protocol, so the app uses the same `pg` driver and
 * SQL as against a real server. Connections take turns (see pglite-server.ts).
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  if (!options.dataDir.startsWith("memory://")) mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir);
  let server: Awaited<ReturnType<typeof servePGlite>>;
  try {
    server = await servePGlite(db, options.port ?? 0);
  } catch (error) {
    await db.close();
    throw error;
  }
  return {
    url: `postgres://postgres@127.0.0.1:${server.port}/postgres`,
    async stop() {
      await server.stop();
      // Closing flushes PGlite's files; skipping it can lose the last writes.
      await db.close();
    },
  };
}
