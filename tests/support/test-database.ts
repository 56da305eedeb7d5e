import pg from "pg";
import { createDatabase, type DB } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import { startEmbeddedPostgres } from "../../launcher/embedded-postgres";

export interface TestDatabase {
  url: string;
  db: DB;
  /** Closes connections and drops the database (or stops the embedded server). */
  destroy(): Promise<void>;
}

const PREFIX = "rdl_test_";
const STALE_AFTER_MS = 60 * 60 * 1000;

/**
 * The server tests use: TEST_DATABASE_URL, else none (embedded). Never DATABASE_URL: tests
 * create and drop databases on this server (and drop stale rdl_test_* ones), which must
 * not happen on the server an app is configured to use.
 */
export function testServerUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || undefined;
}

/**
 * A fresh, migrated database for one test file: a new database on the configured
 * server, or a new in-memory embedded Postgres when no server is configured.
 */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const serverUrl = testServerUrl();
  return serverUrl ? createOnServer(serverUrl, options) : createEmbedded(options);
}

export interface TestDatabaseOptions {
  /** Apply migrations/ before returning (default true). */
  migrate?: boolean;
}

export async function createEmbedded(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const embedded = await startEmbeddedPostgres({ dataDir: "memory://" });
  const db = createDatabase(embedded.url);
  return prepare(
    {
      url: embedded.url,
      db,
      async destroy() {
        await db.destroy();
        await embedded.stop();
      },
    },
    options,
  );
}

async function createOnServer(serverUrl: string, options: TestDatabaseOptions): Promise<TestDatabase> {
  // The name carries its creation time so a later run can drop what a killed run left.
  const name = `${PREFIX}${Date.now()}_${Math.random().toString(36).slice(2, 8)}`;
  await withAdminClient(serverUrl, async (admin) => {
    await dropStaleDatabases(admin);
    await admin.query(`CREATE DATABASE "${name}"`);
  });
  const url = withDatabaseName(serverUrl, name);
  const db = createDatabase(url);
  return prepare(
    {
      url,
      db,
      async destroy() {
        await db.destroy();
        await withAdminClient(serverUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
      },
    },
    options,
  );
}

/** Migrates unless told not to; a database whose migration fails is destroyed, not leaked. */
async function prepare(test: TestDatabase, options: TestDatabaseOptions): Promise<TestDatabase> {
  if (options.migrate === false) return test;
  try {
    await migrateToLatest(test.db);
    return test;
  } catch (error) {
    await test.destroy();
    throw error;
  }
}

async function dropStaleDatabases(admin: pg.Client): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [
    `${PREFIX}%`,
  ]);
  for (const { datname } of rows) {
    const createdAt = Number(datname.slice(PREFIX.length).split("_")[0]);
    if (Date.now() - createdAt > STALE_AFTER_MS) {
      await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  }
}

export function withDatabaseName(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withAdminClient<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
