import { sql, type Kysely } from "kysely";

// A bot dashboard's settings, one row per Discord server, changed by the people who manage
// it (app/models/guild-settings.server.ts): the example setting is a welcome message and
// the channel it goes to. `version` counts saves, so a save made on an older version is
// refused instead of overwriting a newer one. Every change is kept in
// guild_setting_changes (who, what, when); a deleted account's changes stay, unnamed.
// manager_checks: which servers each person managed when Discord last told, and when to
// ask again; `next_check_at` doubles as a lease, as in access_checks, so a person's
// permissions are read once per interval however many instances serve them.
export async function up(db: Kysely<unknown>): Promise<void> {
  const snowflake = (column: string) => sql`${sql.ref(column)} ~ '^[0-9]{1,20}$'`;
  await db.schema
    .createTable("guild_settings")
    .addColumn("guild_id", "text", (col) => col.primaryKey().check(snowflake("guild_id")))
    .addColumn("welcome_channel_id", "text", (col) => col.check(snowflake("welcome_channel_id")))
    .addColumn("welcome_message", "text", (col) =>
      col
        .notNull()
        .defaultTo("")
        .check(sql`char_length(welcome_message) <= 2000`),
    )
    .addColumn("version", "integer", (col) => col.notNull().check(sql`version > 0`))
    .addColumn("updated_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("updated_by", "uuid", (col) => col.references("users.id").onDelete("set null"))
    .execute();
  await db.schema
    .createTable("guild_setting_changes")
    .addColumn("id", "bigserial", (col) => col.primaryKey())
    .addColumn("guild_id", "text", (col) => col.notNull().check(snowflake("guild_id")))
    .addColumn("changed_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("user_id", "uuid", (col) => col.references("users.id").onDelete("set null"))
    .addColumn("field", "text", (col) =>
      col.notNull().check(sql`field in ('welcome_message', 'welcome_channel_id', 'test_message')`),
    )
    .addColumn("old_value", "text", (col) => col.check(sql`char_length(old_value) <= 2000`))
    .addColumn("new_value", "text", (col) => col.check(sql`char_length(new_value) <= 2000`))
    .execute();
  await db.schema
    .createTable("manager_checks")
    .addColumn("user_id", "uuid", (col) => col.primaryKey().references("users.id").onDelete("cascade"))
    .addColumn("next_check_at", "timestamptz", (col) => col.notNull())
    .addColumn("checked_at", "timestamptz")
    .addColumn("managed_guild_ids", sql`text[]`, (col) => col.notNull().defaultTo(sql`'{}'`))
    .execute();
  await db.schema
    .createIndex("guild_setting_changes_by_guild")
    .on("guild_setting_changes")
    .columns(["guild_id", "changed_at desc", "id desc"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("manager_checks").execute();
  await db.schema.dropTable("guild_setting_changes").execute();
  await db.schema.dropTable("guild_settings").execute();
}
