import { sql, type Kysely } from "kysely";

// When the grant behind a user's stored tokens was given: the login that stored them.
// Refreshes and key rotation rewrite the row (updated_at) but not the grant, and a
// deauthorization webhook that arrives late must still end the grant it names, while
// sparing one given after it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("discord_tokens").addColumn("granted_at", "timestamptz").execute();
  // The best knowledge there is for rows stored before: their last write.
  await sql`update discord_tokens set granted_at = updated_at`.execute(db);
  await db.schema
    .alterTable("discord_tokens")
    .alterColumn("granted_at", (col) => col.setNotNull())
    .execute();
  await db.schema
    .alterTable("discord_tokens")
    .alterColumn("granted_at", (col) => col.setDefault(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("discord_tokens").dropColumn("granted_at").execute();
}
