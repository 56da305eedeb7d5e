import { sql } from "kysely";
import type { DB } from "~/db/db.server";
import type { Finding } from "./context";

export interface StatementCount {
  /** Statements per request, the background's own taken out. */
  perRequest: number;
  /** Statements in the window with the requests, and in an idle window as long. */
  withLoad: number;
  idle: number;
}

/**
 * Statements the database ran per request of `work` (each of the app's statements is its
 * own transaction), measured side by side with an idle window of the same length: the
 * instances run a few statements of their own all along (each listener proves every 5 s
 * that notifications arrive), which are not the requests'. Postgres publishes an idle
 * backend's counts only after ten seconds, so each reading waits for that.
 */
export async function statementsPerRequest(
  db: DB,
  work: () => Promise<unknown>,
  requests: number,
): Promise<StatementCount> {
  const before = await settledTransactions(db);
  const started = Date.now();
  await work();
  const took = Date.now() - started;
  const after = await settledTransactions(db);
  await new Promise((resolve) => setTimeout(resolve, took));
  const idleEnd = await settledTransactions(db);
  // Each reading is a transaction of its own; the idle window began with the `after` one.
  const withLoad = after - before - 1;
  const idle = idleEnd - after - 1;
  return { perRequest: (withLoad - idle) / requests, withLoad, idle };
}

async function settledTransactions(db: DB): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 11_000));
  const { rows } = await sql<{ n: string }>`
    select xact_commit + xact_rollback as n from pg_stat_database where datname = current_database()`.execute(db);
  return Number(rows[0]!.n);
}

/**
 * "No database statement per page": fewer than one statement in 200 pages, the rest being
 * noise in the instances' own background statements. Null counts: a smoke run, not measured.
 */
export function noStatementsPerPage(name: string, statements: StatementCount | null, pages: number): Finding {
  return {
    name,
    value:
      statements === null
        ? "not measured in a smoke run"
        : `${statements.perRequest.toFixed(3)} (${statements.withLoad} over ${pages.toLocaleString("en")} pages, ${statements.idle} in as long idle)`,
    target: "0",
    passed: statements === null ? null : statements.perRequest < 0.005,
  };
}
