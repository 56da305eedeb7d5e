import { sql } from "kysely";
import type { DB } from "./db.server";

/** Rows removed per statement: big enough to be quick, small enough not to hold locks long. */
const BATCH = 5_000;
/** Rate-limit windows are one minute; anything older than this is history. */
const RATE_LIMIT_HISTORY_MS = 10 * 60_000;

export interface PurgeResult {
  sessions: number;
  loginAttempts: number;
  rateLimitWindows: number;
}

/**
 * Deletes what can never be used again: expired sessions, abandoned logins, past
 * rate-limit windows. Safe to run on several instances at once; each batch is its own
 * short statement, so a large backlog never locks the tables for long. Sessions end by
 * the database's clock, as everywhere (app/models/session.server.ts).
 */
export async function purgeExpired(db: DB, now = new Date()): Promise<PurgeResult> {
  return {
    sessions: await deleteInBatches(
      db,
      sql`delete from sessions where id in (
      select id from sessions where expires_at < now() limit ${BATCH})`,
    ),
    loginAttempts: await deleteInBatches(
      db,
      sql`delete from login_attempts where id in (
      select id from login_attempts where expires_at < ${now} limit ${BATCH})`,
    ),
    rateLimitWindows: await deleteInBatches(
      db,
      sql`delete from rate_limit_hits where (bucket, window_start) in (
      select bucket, window_start from rate_limit_hits where window_start < ${new Date(now.getTime() - RATE_LIMIT_HISTORY_MS)} limit ${BATCH})`,
    ),
  };
}

async function deleteInBatches(db: DB, statement: ReturnType<typeof sql>): Promise<number> {
  let total = 0;
  for (;;) {
    const { numAffectedRows } = await statement.execute(db);
    const deleted = Number(numAffectedRows ?? 0n);
    total += deleted;
    if (deleted < BATCH) return total;
  }
}
