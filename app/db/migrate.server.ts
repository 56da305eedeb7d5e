import { readdir } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Migrator, type Kysely, type Migration, type MigrationProvider } from "kysely";
import { packageRoot, runsCompiled } from "~/utils/package-root.server";

/** migrations/*.ts from the sources; build/migrations/*.js in a build, where no TypeScript runs. */
const MIGRATIONS_FOLDER = runsCompiled(import.meta.url)
  ? path.join(packageRoot(import.meta.url), "build", "migrations")
  : path.join(packageRoot(import.meta.url), "migrations");

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
 * Every migration file, by name. Kysely's FileMigrationProvider would do the same, but
 * its import() runs inside node_modules where the TypeScript loaders of tsx and vitest do
 * not reach; importing from here works for the TypeScript sources and the build alike.
 */
const folderProvider: MigrationProvider = {
  async getMigrations() {
    const files = (await readdir(MIGRATIONS_FOLDER)).filter((file) => /^\d{4}_[a-z0-9_]+\.(ts|js)$/.test(file)).sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      const name = path.basename(file, path.extname(file));
      migrations[name] = (await import(pathToFileURL(path.join(MIGRATIONS_FOLDER, file)).href)) as Migration;
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
