import { liveSessionCount, recordedSigningSecrets, retireSigningSecrets } from "~/models/secret-checks.server";
import { withScriptDatabase } from "./script-database";

// `npm run sessions:retire-secrets`: for a SESSION_SECRET lost or leaked. Instances refuse
// to start without every secret another instance signed live cookies with, so a secret
// nobody has any more would keep new instances out for up to SESSION_MAX_AGE_DAYS, and a
// leaked one would have to stay trusted. This ends every session (everyone logs in again)
// and forgets every recorded session secret, in one transaction; users and their Discord
// tokens stay. Then every instance starts with the new SESSION_SECRET alone.
//
// Without `-- --yes` it only says what it would do. It needs DATABASE_URL only, never the
// secrets (it prints their public check ids, never a secret or a token).

const confirmed = process.argv.includes("--yes");

await withScriptDatabase(async (db, where) => {
  if (!confirmed) {
    const sessions = await liveSessionCount(db);
    const secrets = await recordedSigningSecrets(db);
    console.log(`Dry run on ${where}: nothing changed.`);
    console.log(`With --yes, ${sessions} live sessions would end: everyone is logged out, on every instance.`);
    console.log(
      secrets.length > 0
        ? "These recorded session secrets would be forgotten (check id, last used):"
        : "No session secret is recorded.",
    );
    for (const { id, lastUsedAt } of secrets) console.log(`  ${id}  ${lastUsedAt.toISOString()}`);
    console.log("To do it: npm run sessions:retire-secrets -- --yes");
    return;
  }
  const { sessionsEnded, secretsForgotten } = await retireSigningSecrets(db);
  console.log(
    `Ended ${sessionsEnded} live sessions and forgot ${secretsForgotten.length} recorded session secrets; users and Discord tokens are kept.`,
  );
  console.log(
    "Now start every instance with the new SESSION_SECRET alone (docs/deploy.md, section 9: If SESSION_SECRET is lost or leaked).",
  );
});
