import path from "node:path";
import { fileURLToPath } from "node:url";
import { isPostgresUrl } from "~/config.server";
import { createDatabase, type DB } from "~/db/db.server";
import { loadEnvFile } from "../launcher/environment";
import { redactUrl } from "../launcher/log";

/**
 * How the operational scripts (db:migrate, db:purge, tokens:reseal,
 * sessions:retire-secrets) reach Postgres: .env filled in, DATABASE_URL checked, one
 * connection, closed whatever happens, and any failure printed as one line with exit
 * status 1.
 */
export async function withScriptDatabase(work: (db: DB, where: string) => Promise<void>): Promise<void> {
  loadEnvFile(packageRoot());
  const url = process.env.DATABASE_URL?.trim();
  if (!url || !isPostgresUrl(url)) {
    console.error("DATABASE_URL: must be set to a postgres:// or postgresql:// connection string.");
    process.exit(1);
  }
  const db = createDatabase(url, { maxConnections: 1, queryTimeoutMs: 10 * 60_000 });
  try {
    await work(db, redactUrl(url));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  } finally {
    await db.destroy();
  }
}

export function packageRoot(): string {
  return path.resolve(fileURLToPath(new URL("..", import.meta.url)));
}
