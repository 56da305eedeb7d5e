import { sql } from "kysely";
import type { DB } from "~/db/db.server";
import { type BenchContext, type CaseOutcome, judged, percent } from "../context";
import { hammer, sideBySide } from "../http-load";

/**
 * The same server-rendered page (/) without and with a valid session: what checking the
 * session costs every request. Target: signed-in throughput at least 85% of anonymous,
 * with one database statement per page (the session lookup) and no writes.
 */
export async function authOverhead(context: BenchContext): Promise<CaseOutcome> {
  const { plan, instances } = context;
  const app = instances[0];
  const { cookie } = await context.newUser("overhead");
  const base = { url: `${app.url}/`, connections: plan.connections, seconds: plan.seconds, pids: [app.pid] };
  const [anonymous, signedIn] = await sideBySide(base, { ...base, headers: { Cookie: cookie } });

  const statementsPerPage = plan.smoke
    ? null
    : await statementsPerRequest(
        context.db,
        () => hammer({ ...base, seconds: undefined, amount: 500, headers: { Cookie: cookie } }),
        500,
      );
  const ratio = signedIn.requestsPerSecond / anonymous.requestsPerSecond;
  return {
    rows: [
      { case: "Auth overhead", variant: "/ without a session", load: anonymous },
      { case: "Auth overhead", variant: "/ with a session", load: signedIn },
    ],
    findings: [
      {
        name: "Auth overhead: signed-in vs anonymous throughput",
        value: percent(ratio),
        target: "≥ 85%",
        passed: judged(plan, ratio >= 0.85),
      },
      {
        name: "Auth overhead: database statements per signed-in page",
        value: statementsPerPage === null ? "not measured in a smoke run" : statementsPerPage.toFixed(2),
        target: "1 (no writes)",
        passed: statementsPerPage === null ? null : Math.abs(statementsPerPage - 1) < 0.05,
      },
    ],
  };
}

/**
 * Statements the database ran per request of `work` (each of the app's queries is its own
 * transaction). Postgres publishes an idle backend's counts only after ten seconds, so
 * each reading waits for that.
 */
async function statementsPerRequest(db: DB, work: () => Promise<unknown>, requests: number): Promise<number> {
  const before = await settledTransactions(db);
  await work();
  const after = await settledTransactions(db);
  return (after - before - 1) / requests; // minus the first reading's own transaction
}

async function settledTransactions(db: DB): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 11_000));
  const { rows } = await sql<{ n: string }>`
    select xact_commit + xact_rollback as n from pg_stat_database where datname = current_database()`.execute(db);
  return Number(rows[0]!.n);
}
