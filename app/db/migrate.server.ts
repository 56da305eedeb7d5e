import { readdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Migrator, type Kysely, type Migration, type MigrationProvider } from "kysely";

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../migrations", import.meta.url));

export class MigrationError extends Error {
  constructor(
    readonly migrationName: string | undefined,
    cause: unknown,
  ) {
    const where = migrationName ? `migration ${migrationName}` : "migrations";
    super(`Database ${where} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "MigrationError";
  }
}

/**
 * Every `migrations/*.ts` file, by name. Kysely's FileMigrationProvider would do the same,
 * but its import() runs inside node_modules where the TypeScript loaders of tsx and
 * vitest do not reach; importing from here keeps migrations in TypeScript everywhere.
 */
const folderProvider: MigrationProvider = {
  async getMigrations() {
    const files = (await readdir(MIGRATIONS_FOLDER)).filter((file) => /^\d{4}_[a-z0-9_]+\.ts$/.test(file)).sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      migrations[path.basename(file, ".ts")] = await import(pathToFileURL(path.join(MIGRATIONS_FOLDER, file)).href);
    }
    return migrations;
  },
};

/**
 * Applies every pending migration in `migrations/`. Idempotent, and safe when several
 * instances start at once: Kysely's Migrator holds a Postgres advisory lock while it runs.
 * Returns the names of the migrations this call applied.
 */
// Kysely<any>, as Kysely documents for migrations: they run against whatever schema the
// database has, not the one the app's types describe.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: folderProvider });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) {
    const failed = results.find((result) => result.status === "Error");
    throw new MigrationError(failed?.migrationName, error);
  }
  return results.filter((result) => result.status === "Success").map((result) => result.migrationName);
}
