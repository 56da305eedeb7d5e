import { sql, type Kysely } from "kysely";

// The community server (JOIN_GUILD_ID) each person was added to, or found already in, at
// a sign-in: they are not added to it again, so someone who leaves stays gone. Another
// JOIN_GUILD_ID adds everyone once more, to that server. Goes with the user.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("community_joins")
    .addColumn("user_id", "uuid", (col) => col.primaryKey().references("users.id").onDelete("cascade"))
    .addColumn("guild_id", "text", (col) => col.notNull().check(sql`guild_id ~ '^[0-9]{1,20}$'`))
    .addColumn("joined_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("community_joins").execute();
}
