import { Agent } from "node:http";
import { expect, it } from "vitest";
import { seededId } from "../../emulator/testing/harness";
import { appRoutes } from "../support/app-routes";
import { logInOverHttp } from "../support/app-instances";
import { useDeployment } from "../support/deployment";
import { describeCase, fuzzCases, mayChangeState, UNKNOWN_ROUTE, type FuzzCase } from "./cases";
import { answerShape, sessionAfter, sessionSecretOf, shapeProblem } from "./checks";
import { send, type Client, type Outcome } from "./send";
import { changedParts, fingerprint, type StateFingerprint } from "./state";

// The generated bad-input matrix (docs/bad-input.md), over real HTTP against the
// production build: every route the app has × method × who is asking × Origin ×
// Content-Type × body × query string. Every request must be answered within seconds,
// below 500, as an HTML page or a JSON error, and change nothing unless it was a
// legitimate state change.

/** Requests in flight at once, and sent between two looks at the database. */
const CONCURRENCY = 4;
const BATCH = 32;
/** The run stops by itself after this long, whatever is left (and fails: coverage was cut short). */
const TIME_BUDGET_MS = Number(process.env.FUZZ_TIME_BUDGET_MS ?? 15 * 60_000);

// Rate limits off: the matrix sends thousands of login starts, and every one must reach the app.
const deployment = useDeployment({ env: { RATE_LIMIT_LOGINS_PER_MINUTE: "0", RATE_LIMIT_ACTIONS_PER_MINUTE: "0" } });

it(
  "answers every generated request, below 500, in a stable shape, changing nothing it should not",
  async () => {
    const { app, emulator, database } = deployment();
    const routes = [...(await appRoutes({ framework: true })), UNKNOWN_ROUTE];
    const cases = [...fuzzCases(routes)];
    const client: Client = {
      appUrl: app.url,
      sessionCookie: "",
      agent: new Agent({ keepAlive: true, maxSockets: CONCURRENCY }),
    };
    const failures = new Map<string, string[]>();
    const fail = (c: FuzzCase, problem: string) => {
      const list = failures.get(problem) ?? [];
      list.push(describeCase(c));
      failures.set(problem, list);
    };
    const shapes = new Map<string, number>();
    let slowest = { ms: 0, case: "" };

    const state = () => fingerprint(database.db, emulator.url);
    const signIn = async () => {
      client.sessionCookie = (await logInOverHttp(app.url, emulator, seededId("nova"))).cookie;
    };
    const stillSignedIn = async () =>
      (await fetch(`${app.url}/api/auth/user`, { headers: { Cookie: client.sessionCookie } })).status === 200;
    const cookieName = () => client.sessionCookie.slice(0, client.sessionCookie.indexOf("="));
    const sid = () => sessionSecretOf(client.sessionCookie.slice(cookieName().length + 1));

    /** The checks that do not need the database: answered, below 500, in shape, session kept. */
    const judge = (c: FuzzCase, outcome: Outcome) => {
      if (!outcome.ok) return fail(c, `no answer: ${outcome.error}`);
      const { answer } = outcome;
      if (answer.ms > slowest.ms) slowest = { ms: answer.ms, case: describeCase(c) };
      const shape = answerShape(c, answer);
      shapes.set(shape, (shapes.get(shape) ?? 0) + 1);
      const problem = shapeProblem(c, answer);
      if (problem) fail(c, problem);
      if (!mayChangeState(c) && c.auth === "signed-in") {
        const session = sessionAfter(answer, cookieName());
        if (session !== "kept" && session !== sid())
          fail(c, `the session cookie was ${session === "ended" ? "cleared" : "replaced"}`);
      }
    };

    await signIn();
    let baseline: StateFingerprint = await state();
    const deadline = Date.now() + TIME_BUDGET_MS;
    let sent = 0;
    for (let next = 0; next < cases.length;) {
      if (Date.now() > deadline) break;
      if (mayChangeState(cases[next]!)) {
        // A legitimate change: alone, then a fresh baseline (and a fresh login if it ended the session).
        const c = cases[next++]!;
        judge(c, await send(c, client));
        sent += 1;
        if (!(await stillSignedIn())) await signIn();
        baseline = await state();
        continue;
      }
      const batch: FuzzCase[] = [];
      while (batch.length < BATCH && next < cases.length && !mayChangeState(cases[next]!)) batch.push(cases[next++]!);
      const outcomes = await inParallel(batch, CONCURRENCY, (c) => send(c, client));
      outcomes.forEach((outcome, index) => judge(batch[index]!, outcome));
      sent += batch.length;
      const after = await state();
      if (changedParts(baseline, after).length === 0) continue;
      // Something in the batch changed state: replay it one request at a time to name it.
      baseline = after;
      for (const c of batch) {
        await send(c, client);
        const now = await state();
        const changed = changedParts(baseline, now);
        if (changed.length > 0) fail(c, `changed state it must not: ${changed.join(", ")}`);
        baseline = now;
      }
      if (!(await stillSignedIn())) await signIn();
      baseline = await state();
    }
    client.agent.destroy();

    const report = [
      `[fuzz] ${sent} of ${cases.length} generated cases sent (${routes.length} routes); ${shapes.size} distinct answers; slowest ${slowest.ms} ms (${slowest.case})`,
      ...[...shapes].sort(([a], [b]) => a.localeCompare(b)).map(([shape, count]) => `[fuzz]   ${shape}: ${count}`),
    ];
    console.log(report.join("\n"));
    const found = [...failures].map(
      ([problem, where]) => `${problem} (${where.length}×), e.g. ${where.slice(0, 3).join("; ")}`,
    );
    expect(found).toEqual([]);
    expect(sent, `the run stopped after ${TIME_BUDGET_MS} ms with cases left`).toBe(cases.length);
  },
  TIME_BUDGET_MS + 120_000,
);

/** Maps with at most `limit` calls pending at once, keeping the order of the results. */
async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  });
  await Promise.all(lanes);
  return results;
}
