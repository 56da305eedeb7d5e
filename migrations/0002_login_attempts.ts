import { sql, type Kysely } from "kysely";

// A login in flight between "Log in with Discord" and the callback. A row makes the
// OAuth state single-use across every instance (the callback deletes it, and a replay
// finds nothing), and keeps the PKCE verifier on the server, out of the browser.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("login_attempts")
    .addColumn("id", "text", (col) => col.primaryKey().check(sql`char_length(id) = 43`))
    .addColumn("code_verifier", "text", (col) =>
      col.notNull().check(sql`char_length(code_verifier) between 43 and 128`),
    )
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("expires_at", "timestamptz", (col) => col.notNull())
    .execute();
  await db.schema.createIndex("login_attempts_expires_at_idx").on("login_attempts").column("expires_at").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("login_attempts").execute();
}
