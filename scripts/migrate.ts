import path from "node:path";
import { fileURLToPath } from "node:url";
import { isPostgresUrl } from "~/config.server";
import { createDatabase } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import { loadEnvFile } from "../launcher/environment";
import { redactUrl } from "../launcher/log";

// `npm run db:migrate`: applies pending migrations to DATABASE_URL, for deploys that
// migrate once before rolling out new instances. (`npm start` also migrates on start.)

const root = path.resolve(fileURLToPath(new URL("..", import.meta.url)));
loadEnvFile(root);
const url = process.env.DATABASE_URL?.trim();
if (!url || !isPostgresUrl(url)) {
  console.error("DATABASE_URL: must be set to a postgres:// or postgresql:// connection string to migrate.");
  process.exit(1);
}

const db = createDatabase(url, { maxConnections: 1 });
try {
  const applied = await migrateToLatest(db);
  console.log(
    applied.length > 0
      ? `Applied ${applied.length} migration(s) to ${redactUrl(url)}: ${applied.join(", ")}`
      : `${redactUrl(url)} is up to date.`,
  );
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
} finally {
  await db.destroy();
}
