import { sql } from "kysely";
import type { DB } from "~/db/db.server";

/** A digest per table, of every row and column that records a person's state. */
export type StateFingerprint = Record<string, string>;

/**
 * Columns left out, as they change without anyone asking: `sessions.last_seen_at` is
 * rewritten by any signed-in page at most every few minutes (a read, as far as the person
 * is concerned), `secret_checks.last_used_at` by the instance's own housekeeping,
 * `manager_checks`' times by the dashboard's check of who manages a server, also a read.
 */
const RESTLESS_COLUMNS: Record<string, readonly string[]> = {
  sessions: ["last_seen_at"],
  secret_checks: ["last_used_at"],
  // When a person's manager check next falls due, and when Discord last answered it.
  manager_checks: ["next_check_at", "checked_at"],
};

/**
 * Every table of the app's schema, as the catalogue lists them (a table added by a
 * migration is fingerprinted without editing this), with the columns to digest.
 */
export async function appTables(db: DB): Promise<Map<string, string[]>> {
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    select c.table_name, c.column_name
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where t.table_schema = current_schema() and t.table_type = 'BASE TABLE'
    order by c.table_name, c.ordinal_position`.execute(db);
  const tables = new Map<string, string[]>();
  for (const { table_name: table, column_name: column } of rows) {
    if (RESTLESS_COLUMNS[table]?.includes(column)) continue;
    tables.set(table, [...(tables.get(table) ?? []), column]);
  }
  return tables;
}

/** Digests of the given tables and of the Discord emulator's grant counters, in one round trip each. */
export async function fingerprint(
  db: DB,
  tables: ReadonlyMap<string, readonly string[]>,
  emulatorUrl: string,
): Promise<StateFingerprint> {
  const digests = [...tables].map(([table, columns]) => {
    const rows = sql`(select ${sql.join(columns.map((column) => sql.ref(column)))} from ${sql.table(table)})`;
    return sql<string>`(select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from ${rows} t)`.as(table);
  });
  const row = await db
    .selectNoFrom(digests as never)
    .executeTakeFirstOrThrow()
    .then((result) => result as Record<string, string>);
  const counters = (await (await fetch(`${emulatorUrl}/_emulator/counters`)).json()) as Record<string, unknown>;
  const { api_calls: _reads, ...grantEvents } = counters;
  return { ...row, discord: JSON.stringify(grantEvents) };
}

/** The names of what differs between two fingerprints. */
export function changedParts(before: StateFingerprint, after: StateFingerprint): string[] {
  return Object.keys({ ...before, ...after }).filter((key) => before[key] !== after[key]);
}
