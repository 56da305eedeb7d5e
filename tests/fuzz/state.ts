import { sql } from "kysely";
import type { DB } from "~/db/db.server";

/** A digest per table, of every row and column that records a person's state. */
export type StateFingerprint = Record<string, string>;

// Columns left out: `last_seen_at` is rewritten by any signed-in page at most every few
// minutes (a read, as far as the person is concerned).
const TABLES: Record<string, string> = {
  users: "select * from users",
  discord_tokens: "select * from discord_tokens",
  sessions: "select id, user_id, created_at, expires_at, user_agent, ip from sessions",
  login_attempts: "select * from login_attempts",
  rate_limit_hits: "select * from rate_limit_hits",
};

/** Digests of the app's tables and of the Discord emulator's grant counters, in one round trip each. */
export async function fingerprint(db: DB, emulatorUrl: string): Promise<StateFingerprint> {
  const digests = Object.entries(TABLES).map(([table, query]) =>
    sql<string>`(select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from (${sql.raw(query)}) t)`.as(
      table,
    ),
  );
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
