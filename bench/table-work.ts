import { sql } from "kysely";
import type { DB } from "~/db/db.server";
import type { Finding } from "./context";

export interface TableWork {
  /** Table reads and writes per request, the background's own taken out. */
  perRequest: number;
  /** Reads and writes in the window with the requests, and in an idle window as long. */
  withLoad: number;
  idle: number;
}

/**
 * How much the database touched the app's tables per request of `work`: index and
 * sequential scans plus rows inserted, updated and deleted, from Postgres's per-table
 * counters. Counting tables rather than transactions leaves out the instances' proofs of
 * delivery (a `pg_notify` four times a second each, touching no table), which would
 * drown a few statements in thousands of pages. Measured side by side with an idle window
 * of the same length, for what the instances do on their own; Postgres publishes an idle
 * backend's counts only after ten seconds, so each reading waits for that.
 */
export async function tableWorkPerRequest(db: DB, work: () => Promise<unknown>, requests: number): Promise<TableWork> {
  const before = await settledTableWork(db);
  const started = Date.now();
  await work();
  const took = Date.now() - started;
  const after = await settledTableWork(db);
  await new Promise((resolve) => setTimeout(resolve, took));
  const idleEnd = await settledTableWork(db);
  const withLoad = after - before;
  const idle = idleEnd - after;
  return { perRequest: (withLoad - idle) / requests, withLoad, idle };
}

async function settledTableWork(db: DB): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 11_000));
  const { rows } = await sql<{ n: string }>`
    select coalesce(sum(coalesce(seq_scan, 0) + coalesce(idx_scan, 0) + n_tup_ins + n_tup_upd + n_tup_del), 0) as n
    from pg_stat_user_tables`.execute(db);
  return Number(rows[0]!.n);
}

/**
 * "Nothing read or written per page": fewer than one table access in 200 pages, the rest
 * being noise in what the instances do on their own. Null: a smoke run, not measured.
 */
export function noTableWorkPerPage(name: string, work: TableWork | null, pages: number): Finding {
  return {
    name,
    value:
      work === null
        ? "not measured in a smoke run"
        : `${work.perRequest.toFixed(3)} (${work.withLoad} over ${pages.toLocaleString("en")} pages, ${work.idle} in as long idle)`,
    target: "0",
    passed: work === null ? null : work.perRequest < 0.005,
  };
}
