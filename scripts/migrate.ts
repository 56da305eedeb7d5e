import { migrateToLatest } from "~/db/migrate.server";
import { withScriptDatabase } from "./script-database";

// `npm run db:migrate`: applies pending migrations to DATABASE_URL, the release step of a
// deployment (once, before new instances roll out). `npm start` also migrates on start.

await withScriptDatabase(async (db, where) => {
  const applied = await migrateToLatest(db);
  console.log(
    applied.length > 0
      ? `Applied ${applied.length} migration(s) to ${where}: ${applied.join(", ")}`
      : `${where} is up to date.`,
  );
});
