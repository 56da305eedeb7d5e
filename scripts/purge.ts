import path from "node:path";
import { fileURLToPath } from "node:url";
import { isPostgresUrl } from "~/config.server";
import { createDatabase } from "~/db/db.server";
import { purgeExpired } from "~/db/purge.server";
import { loadEnvFile } from "../launcher/environment";

// `npm run db:purge`: deletes expired sessions, abandoned logins and past rate-limit
// windows now. The app also does this every 15 minutes; this is for cron or a one-off.

loadEnvFile(path.resolve(fileURLToPath(new URL("..", import.meta.url))));
const url = process.env.DATABASE_URL?.trim();
if (!url || !isPostgresUrl(url)) {
  console.error("DATABASE_URL: must be set to a postgres:// or postgresql:// connection string.");
  process.exit(1);
}
const db = createDatabase(url, { maxConnections: 1 });
try {
  const purged = await purgeExpired(db);
  console.log(
    `Purged ${purged.sessions} expired sessions, ${purged.loginAttempts} abandoned logins, ${purged.rateLimitWindows} past rate-limit windows.`,
  );
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
} finally {
  await db.destroy();
}
