import { sql, type Kysely } from "kysely";

// Where each person stands with the access rules (ACCESS_GUILD_IDS, ACCESS_ROLE_IDS), shared
// by every instance: when Discord last confirmed them, what they passed with (for the
// dashboard), and when the next check is due. `next_check_at` doubles as a lease: the
// instance that moves it forward is the one that asks Discord, so a person is checked once
// however many instances serve them (app/models/access-check.server.ts). `rules` is a
// fingerprint of the rules the row was checked under: a change of rules makes it due at once.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("access_checks")
    .addColumn("user_id", "uuid", (col) => col.primaryKey().references("users.id").onDelete("cascade"))
    .addColumn("rules", "text", (col) => col.notNull().check(sql`char_length(rules) <= 64`))
    .addColumn("next_check_at", "timestamptz", (col) => col.notNull())
    .addColumn("confirmed_at", "timestamptz")
    .addColumn("unconfirmed_since", "timestamptz")
    .addColumn("guild_id", "text", (col) => col.check(sql`guild_id ~ '^[0-9]{1,20}$'`))
    .addColumn("role_ids", sql`text[]`, (col) => col.notNull().defaultTo(sql`'{}'`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("access_checks").execute();
}
