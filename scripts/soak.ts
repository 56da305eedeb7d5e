import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { sql } from "kysely";
import { createDatabase } from "~/db/db.server";
import { startEmulator } from "../emulator/server";
import { control } from "../emulator/testing/harness";
import { deploymentEnv, freePort, logInOverHttp, startAppInstance } from "../tests/support/app-instances";
import { createTestDatabase } from "../tests/support/test-database";

// `npm run soak`: a bounded load test on loopback. The production build, its own database
// (TEST_DATABASE_URL's server, else embedded) and the emulator; virtual users
// each loop through log in → dashboard → servers → log out until the time is up. It
// reports errors, latency, the app's memory over time and its database connections, and
// with --write records the run in docs/load.md. SOAK_USERS (200) and SOAK_SECONDS (60).

const USERS = boundedInt("SOAK_USERS", 200, 1, 1000);
const SECONDS = boundedInt("SOAK_SECONDS", 60, 5, 600);
const STEPS = ["login", "dashboard", "servers", "logout"] as const;
type Step = (typeof STEPS)[number];

const database = await createTestDatabase();
const appStartedAt = new Date(); // connections opened after this are the app's
const port = await freePort();
const appUrl = `http://127.0.0.1:${port}`;
const emulator = await startEmulator({ port: 0, redirectUris: [`${appUrl}/auth/discord/callback`] });
const app = await startAppInstance(port, {
  ...deploymentEnv({ appUrl, databaseUrl: database.url, emulator }),
  // All virtual users come from one address: the load is the point, not the limits.
  RATE_LIMIT_LOGINS_PER_MINUTE: "0",
  RATE_LIMIT_ACTIONS_PER_MINUTE: "0",
  LOG_LEVEL: "warn",
});
const observer = createDatabase(database.url, { maxConnections: 1 });

const latencies = new Map<Step, number[]>(STEPS.map((step) => [step, []]));
const errors: string[] = [];
const rssSamples: Array<{ second: number; mb: number }> = [];
let peakConnections = 0;

try {
  const accounts = await createAccounts(USERS);
  log(`${USERS} virtual users for ${SECONDS} s against ${appUrl} (database: ${new URL(database.url).host})`);
  const started = Date.now();
  const deadline = started + SECONDS * 1000;
  const sampler = setInterval(() => void sample(started), 1000);
  const reporter = setInterval(() => log(progressLine(started)), 5000);
  await Promise.all(accounts.map((accountId) => virtualUser(accountId, deadline)));
  clearInterval(sampler);
  clearInterval(reporter);
  await new Promise((resolve) => setTimeout(resolve, 2000)); // let the app settle
  const after = await connections();
  const report = summary(after);
  console.log(report.text);
  if (process.argv.includes("--write")) writeReport(report.markdown);
  process.exitCode = report.passed ? 0 : 1;
} finally {
  await observer.destroy();
  await app.stop();
  await emulator.close();
  await database.destroy();
}

async function virtualUser(accountId: string, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    let cookie = "";
    const ok = await step("login", async () => {
      cookie = (await logInOverHttp(appUrl, emulator, accountId)).cookie;
    });
    if (!ok) continue;
    await step("dashboard", () => expectStatus("/dashboard", { headers: { Cookie: cookie } }, 200));
    await step("servers", () => expectStatus("/servers", { headers: { Cookie: cookie } }, 200));
    await step("logout", () =>
      expectStatus("/logout", { method: "POST", headers: { Cookie: cookie, Origin: appUrl } }, 302),
    );
  }
}

async function step(name: Step, run: () => Promise<void>): Promise<boolean> {
  const started = performance.now();
  try {
    await run();
    latencies.get(name)!.push(performance.now() - started);
    return true;
  } catch (error) {
    errors.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}

async function expectStatus(path: string, init: RequestInit, status: number): Promise<void> {
  const response = await fetch(`${appUrl}${path}`, { ...init, redirect: "manual" });
  await response.arrayBuffer();
  if (response.status !== status) throw new Error(`${path} answered ${response.status}, expected ${status}`);
}

async function createAccounts(count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const created = await control(emulator, "POST", "/accounts", {
      username: `soak.${index}`,
      email: `soak.${index}@example.com`,
      verified: true,
    });
    ids.push((created.body as { id: string }).id);
  }
  // One server they all share, so the servers page has something to list.
  await control(emulator, "POST", "/guilds", {
    name: "Soak Testers",
    icon: true,
    members: ids.map((account_id) => ({ account_id })),
  });
  return ids;
}

async function sample(started: number): Promise<void> {
  const status = readFileSync(`/proc/${app.pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  rssSamples.push({ second: Math.round((Date.now() - started) / 1000), mb: kb / 1024 });
  peakConnections = Math.max(peakConnections, (await connections()).total);
}

async function connections(): Promise<{ total: number; busy: number }> {
  const { rows } = await sql<{ total: number; busy: number }>`
    select count(*)::int as total, count(*) filter (where state <> 'idle')::int as busy
    from pg_stat_activity where datname = current_database() and application_name = 'remix-discord-login'
      and backend_start >= ${appStartedAt} and pid <> pg_backend_pid()`.execute(observer);
  return rows[0]!;
}

function progressLine(started: number): string {
  const done = [...latencies.values()].reduce((sum, list) => sum + list.length, 0);
  const rss = rssSamples.at(-1)?.mb.toFixed(0) ?? "?";
  return `${Math.round((Date.now() - started) / 1000)}s  steps ${done}  errors ${errors.length}  rss ${rss} MB  peak db connections ${peakConnections}`;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function summary(after: { total: number; busy: number }) {
  // The first half is warm-up (V8 grows its heap to fit the concurrent renders); a leak
  // shows as growth across the second half.
  const steady = rssSamples.filter((sample) => sample.second >= SECONDS / 2);
  const quarter = Math.max(1, Math.floor(steady.length / 4));
  const mean = (list: typeof steady) => list.reduce((sum, sample) => sum + sample.mb, 0) / Math.max(1, list.length);
  const early = mean(steady.slice(0, quarter));
  const late = mean(steady.slice(-quarter));
  const growth = early > 0 ? (late - early) / early : 0;
  const logins = latencies.get("login")!.length;
  const checks = [
    [`no errors (${errors.length})`, errors.length === 0],
    [`database connections within the pool of 10 (peak ${peakConnections})`, peakConnections <= 10],
    [`no connection left busy after the run (${after.busy})`, after.busy === 0],
    [
      `memory flat over the second half (its last quarter ${late.toFixed(0)} MB vs its first ${early.toFixed(0)} MB: ${(growth * 100).toFixed(1)}%)`,
      growth < 0.1,
    ],
  ] as const;
  const rows = STEPS.map((name) => {
    const list = latencies.get(name)!;
    return `| ${name} | ${list.length} | ${(list.length / SECONDS).toFixed(1)} | ${percentile(list, 50).toFixed(1)} | ${percentile(list, 99).toFixed(1)} |`;
  });
  const table = ["| step | count | per second | p50 ms | p99 ms |", "|---|---|---|---|---|", ...rows].join("\n");
  const verdicts = checks.map(([text, passed]) => `- ${passed ? "✓" : "✗"} ${text}`).join("\n");
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const header = `${USERS} virtual users, ${SECONDS} s, ${logins} complete logins; ${machine}; database ${new URL(database.url).host}`;
  const firstErrors = errors
    .slice(0, 5)
    .map((error) => `  ${error}`)
    .join("\n");
  return {
    passed: checks.every(([, passed]) => passed),
    text: `\n${header}\n\n${table}\n\n${verdicts}\n${firstErrors ? `\nfirst errors:\n${firstErrors}\n` : ""}`,
    markdown: `## Run of ${new Date().toISOString().slice(0, 10)}\n\n${header}.\n\n${table}\n\nRSS of the app process (MB) by second: ${rssSamples
      .filter((sample) => sample.second % 10 === 0)
      .map((sample) => `${sample.second}s ${sample.mb.toFixed(0)}`)
      .join(", ")}.\n\n${verdicts}\n`,
  };
}

function writeReport(markdown: string): void {
  const file = new URL("../docs/load.md", import.meta.url);
  const intro = readFileSync(file, "utf8").split("\n## Run of")[0]!.trimEnd();
  writeFileSync(file, `${intro}\n\n${markdown}`);
  log("wrote docs/load.md");
}

function boundedInt(name: string, fallback: number, min: number, max: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < min || value > max) {
    console.error(`${name} must be a whole number from ${min} to ${max}.`);
    process.exit(1);
  }
  return value;
}

function log(message: string): void {
  console.log(`[soak] ${message}`);
}
