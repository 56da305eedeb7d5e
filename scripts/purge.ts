import { purgeExpired } from "~/db/purge.server";
import { withScriptDatabase } from "./script-database";

// `npm run db:purge`: deletes expired sessions, abandoned logins and past rate-limit
// windows now. The app also does this every 15 minutes; this is for cron or a one-off.

await withScriptDatabase(async (db) => {
  const purged = await purgeExpired(db);
  console.log(
    `Purged ${purged.sessions} expired sessions, ${purged.loginAttempts} abandoned logins, ${purged.rateLimitWindows} past rate-limit windows.`,
  );
});
