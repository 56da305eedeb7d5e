import { sql, type Kysely } from "kysely";

// The Linked Roles connection last sent to Discord for each person (LINKED_ROLES): sent
// again only when it changes, and taken back at Discord before their grant is revoked or
// their account deleted. Goes with the user.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("role_connections")
    .addColumn("user_id", "uuid", (col) => col.primaryKey().references("users.id").onDelete("cascade"))
    .addColumn("sent", "text", (col) => col.notNull().check(sql`char_length(sent) <= 2000`))
    .addColumn("sent_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("role_connections").execute();
}
