import { Agent } from "node:http";
import { expect } from "vitest";
import type { RunningEmulator } from "../../emulator/server";
import { seededGuildId, seededId } from "../../emulator/testing/harness";
import { appRoutes } from "../support/app-routes";
import { logInOverHttp } from "../support/app-instances";
import type { Deployment } from "../support/deployment";
import { describeCase, fuzzCases, mayChangeState, UNKNOWN_ROUTE, type FuzzCase } from "./cases";
import { answerShape, headerProblem, logLineProblems, sessionAfter, sessionSecretOf, shapeProblem } from "./checks";
import { send, type Client, type Outcome } from "./send";
import { appTables, changedParts, fingerprint, type StateFingerprint } from "./state";

// The generated bad-input matrix (docs/bad-input.md), over real HTTP against the
// production build: every route the app has × method × who is asking × Origin ×
// Content-Type × body × query string, and values that change shape when normalised.
// Every request must be answered within seconds, below 500, as an HTML page or a JSON
// error, with cookies a browser keeps and redirects that stay on this site (or go to
// Discord's consent page), every log line bounded and JSON, and change nothing unless it
// was a legitimate state change.

/** Requests in flight at once, and sent between two looks at the database. */
const CONCURRENCY = 4;
const BATCH = 32;

/** Settings every fuzzed deployment runs with. */
export function fuzzEnv(emulator: RunningEmulator): Record<string, string> {
  return {
    // Rate limits off: the matrix sends thousands of login starts, and every one must reach the app.
    RATE_LIMIT_LOGINS_PER_MINUTE: "0",
    RATE_LIMIT_ACTIONS_PER_MINUTE: "0",
    // The bot dashboard on, its routes fuzzed too; the manager check an hour apart, so none
    // falls due inside the run to change state on a read.
    DISCORD_BOT_TOKEN: emulator.botToken,
    DASHBOARD_RECHECK_SECONDS: "3600",
  };
}

/** The run stops by itself after this long, whatever is left (and fails: coverage was cut short). */
export const TIME_BUDGET_MS = Number(process.env.FUZZ_TIME_BUDGET_MS ?? 15 * 60_000);

/** Sends the whole matrix to `deployment`, signed in as `account` (a seeded username) when signed in. */
export async function fuzzDeployment(deployment: Deployment, label: string, account = "nova"): Promise<void> {
  const { app, emulator, database } = deployment;
  const routes = [...(await appRoutes({ framework: true })), UNKNOWN_ROUTE];
  const cases = [...fuzzCases(routes)];
  const client: Client = {
    appUrl: app.url,
    sessionCookie: "",
    agent: new Agent({ keepAlive: true, maxSockets: CONCURRENCY }),
  };
  const failures = new Map<string, string[]>();
  const fail = (c: FuzzCase | string, problem: string) => {
    const list = failures.get(problem) ?? [];
    list.push(typeof c === "string" ? c : describeCase(c));
    failures.set(problem, list);
  };
  const shapes = new Map<string, number>();
  let slowest = { ms: 0, case: "" };

  const tables = await appTables(database.db);
  // Every table the migrations made, the two the issue named included.
  expect([...tables.keys()]).toEqual(expect.arrayContaining(["users", "sessions", "access_checks", "secret_checks"]));
  const state = () => fingerprint(database.db, tables, emulator.url);
  const signIn = async () => {
    client.sessionCookie = (await logInOverHttp(app.url, emulator, seededId(account))).cookie;
    // The first visit to a server's settings records the person's manager check (a write
    // on a read, once per interval): made before the state is taken.
    await fetch(`${app.url}/servers/${seededGuildId("Emulator HQ")}`, { headers: { Cookie: client.sessionCookie } });
  };
  const stillSignedIn = async () =>
    (await fetch(`${app.url}/api/auth/user`, { headers: { Cookie: client.sessionCookie } })).status === 200;
  const cookieName = () => client.sessionCookie.slice(0, client.sessionCookie.indexOf("="));
  const sid = () => sessionSecretOf(client.sessionCookie.slice(cookieName().length + 1));
  const discordConsent = `${emulator.url}/oauth2/authorize?`;

  /** The checks that do not need the database: answered, below 500, in shape, session kept. */
  const judge = (c: FuzzCase, outcome: Outcome) => {
    if (!outcome.ok) return fail(c, `no answer: ${outcome.error}`);
    const { answer } = outcome;
    if (answer.ms > slowest.ms) slowest = { ms: answer.ms, case: describeCase(c) };
    const shape = answerShape(c, answer);
    shapes.set(shape, (shapes.get(shape) ?? 0) + 1);
    const problem = shapeProblem(c, answer) ?? headerProblem(answer, discordConsent);
    if (problem) fail(c, problem);
    if (!mayChangeState(c) && c.auth === "signed-in") {
      const session = sessionAfter(answer, cookieName());
      if (session !== "kept" && session !== sid())
        fail(c, `the session cookie was ${session === "ended" ? "cleared" : "replaced"}`);
    }
  };

  // What the app prints from here on: every line, whatever the requests carried, bounded JSON.
  let printed = app.outputSince(Number.MAX_SAFE_INTEGER).next;
  let partialLine = "";
  let logLines = 0;
  const readLog = () => {
    const { text, next } = app.outputSince(printed);
    printed = next;
    const lines = (partialLine + text).split("\n");
    partialLine = lines.pop()!;
    logLines += lines.length;
    for (const problem of logLineProblems(lines)) fail("the app's output", problem);
  };

  await signIn();
  let baseline: StateFingerprint = await state();
  const deadline = Date.now() + TIME_BUDGET_MS;
  let sent = 0;
  const started = Date.now();
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
    readLog();
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
  readLog();

  const seconds = Math.round((Date.now() - started) / 1000);
  const report = [
    `[fuzz ${label}] ${sent} of ${cases.length} generated cases sent (${routes.length} routes, ${tables.size} tables fingerprinted) in ${seconds} s; ${shapes.size} distinct answers; ${logLines} log lines read; slowest ${slowest.ms} ms (${slowest.case})`,
    ...[...shapes]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([shape, count]) => `[fuzz ${label}]   ${shape}: ${count}`),
  ];
  console.log(report.join("\n"));
  const found = [...failures].map(
    ([problem, where]) => `${problem} (${where.length}×), e.g. ${where.slice(0, 3).join("; ")}`,
  );
  expect(found).toEqual([]);
  expect(sent, `the run stopped after ${TIME_BUDGET_MS} ms with cases left`).toBe(cases.length);
}

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
