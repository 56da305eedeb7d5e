import { sql } from "kysely";
import type { DB } from "./db.server";

/** Bounds how long statements in this transaction wait for a row lock (then 55P03 lock_not_available). */
export async function setLockTimeout(tx: DB, ms: number): Promise<void> {
  await sql`select set_config('lock_timeout', ${`${ms}ms`}, true)`.execute(tx);
}
