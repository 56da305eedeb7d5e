import { sql, type Kysely } from "kysely";

// Why these shapes (see docs/decisions/001-data-model.md):
// - users.id is a random uuid so internal ids can appear in URLs and JSON without
//   revealing how many users exist; discord_id stays text because snowflakes overflow
//   JavaScript numbers.
// - discord_tokens holds one row per user; each token column is a self-describing
//   AES-256-GCM envelope that carries the id of the key that sealed it.
// - sessions.id is the SHA-256 of the random secret in the cookie, so a leaked table
//   does not hand out live sessions.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("users")
    .addColumn("id", "uuid", (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("discord_id", "text", (col) =>
      col
        .notNull()
        .unique()
        .check(sql`discord_id ~ '^[0-9]{1,20}$'`),
    )
    .addColumn("username", "text", (col) => col.notNull().check(sql`char_length(username) between 1 and 64`))
    // Only legacy accounts have one ("1234"); new usernames have none (Discord sends "0").
    .addColumn("discriminator", "text", (col) => col.check(sql`discriminator ~ '^[0-9]{4}$'`))
    .addColumn("global_name", "text", (col) => col.check(sql`char_length(global_name) <= 64`))
    .addColumn("avatar_hash", "text", (col) => col.check(sql`char_length(avatar_hash) <= 64`))
    .addColumn("email", "text", (col) => col.check(sql`char_length(email) <= 320`))
    .addColumn("email_verified", "boolean", (col) => col.notNull().defaultTo(false))
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("last_login_at", "timestamptz")
    .execute();

  await db.schema
    .createTable("discord_tokens")
    .addColumn("user_id", "uuid", (col) => col.primaryKey().references("users.id").onDelete("cascade"))
    .addColumn("access_token_encrypted", "text", (col) => col.notNull())
    .addColumn("refresh_token_encrypted", "text", (col) => col.notNull())
    .addColumn("access_token_expires_at", "timestamptz", (col) => col.notNull())
    .addColumn("scopes", "text", (col) => col.notNull())
    .addColumn("updated_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id", "text", (col) => col.primaryKey().check(sql`char_length(id) = 43`))
    .addColumn("user_id", "uuid", (col) => col.notNull().references("users.id").onDelete("cascade"))
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("expires_at", "timestamptz", (col) => col.notNull())
    .addColumn("last_seen_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("user_agent", "text", (col) => col.check(sql`char_length(user_agent) <= 512`))
    .addColumn("ip", "text", (col) => col.check(sql`char_length(ip) <= 64`))
    .execute();

  // "All sessions of this user" (sessions page, revoke, deauthorization) and the purge of expired rows.
  await db.schema.createIndex("sessions_user_id_idx").on("sessions").column("user_id").execute();
  await db.schema.createIndex("sessions_expires_at_idx").on("sessions").column("expires_at").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("sessions").execute();
  await db.schema.dropTable("discord_tokens").execute();
  await db.schema.dropTable("users").execute();
}
