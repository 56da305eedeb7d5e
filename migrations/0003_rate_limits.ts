import { sql, type Kysely } from "kysely";

// Counters for rate limits, shared by every instance: one row per bucket (say,
// "login-start:ip:203.0.113.7") and minute. An upsert adds a hit atomically.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("rate_limit_hits")
    .addColumn("bucket", "text", (col) => col.notNull().check(sql`char_length(bucket) <= 200`))
    .addColumn("window_start", "timestamptz", (col) => col.notNull())
    .addColumn("hits", "integer", (col) => col.notNull())
    .addPrimaryKeyConstraint("rate_limit_hits_pkey", ["bucket", "window_start"])
    .execute();
  // For the purge of past windows.
  await db.schema
    .createIndex("rate_limit_hits_window_start_idx")
    .on("rate_limit_hits")
    .column("window_start")
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("rate_limit_hits").execute();
}
