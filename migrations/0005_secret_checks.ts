import { sql, type Kysely } from "kysely";

// Proof, for every instance that starts, of which secrets the others use: an instance whose
// TOKEN_ENCRYPTION_KEY cannot open what is stored, or whose SESSION_SECRET cannot verify
// the cookies the others sign, must refuse to start rather than lose data (see
// app/startup.server.ts). Neither kind of row holds a secret:
// - token-key: a sentinel sealed with the key, named by the key's id;
// - session-secret: an HMAC of a fixed text under the secret, and when it last signed.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("secret_checks")
    .addColumn("kind", "text", (col) => col.notNull().check(sql`kind in ('token-key', 'session-secret')`))
    .addColumn("id", "text", (col) => col.notNull().check(sql`char_length(id) <= 64`))
    .addColumn("sentinel", "text", (col) => col.check(sql`char_length(sentinel) <= 1024`))
    .addColumn("last_used_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("secret_checks_pkey", ["kind", "id"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("secret_checks").execute();
}
