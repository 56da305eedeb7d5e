import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { createDatabase } from "~/db/db.server";
import { startEmulator } from "../emulator/server";
import { createAccount, REDIRECT_URI } from "../emulator/testing/harness";
import {
  deploymentEnv,
  freePort,
  logInOverHttp,
  startAppInstance,
  type AppInstance,
} from "../tests/support/app-instances";
import { createTestDatabase, testServerUrl } from "../tests/support/test-database";
import { startBaselineApp, type BaselineApp } from "./baseline-app";
import { authOverhead } from "./cases/auth-overhead";
import { guildCache } from "./cases/guild-cache";
import { loginThroughput } from "./cases/login-throughput";
import { membersOnly } from "./cases/members-only";
import { dashboard } from "./cases/dashboard";
import { memory } from "./cases/memory";
import { refreshStorm } from "./cases/refresh-storm";
import { scale } from "./cases/scale";
import { sessionCache } from "./cases/session-cache";
import { staleness } from "./cases/staleness";
import { stackCeiling } from "./cases/stack-ceiling";
import { userApi } from "./cases/user-api";
import { profileFlags, summariseNewestProfile } from "./cpu-profile";
import { FULL, SMOKE, type BenchContext, type CaseOutcome, type Finding, type Row } from "./context";
import { describeEnvironment, table, verdicts, writeBenchmarksDoc } from "./report";

// `npm run bench`: the production build, two instances on one database, the emulator, all
// on loopback; each case measured side by side with its baseline in this one run. Prints
// the table and the targets, and records them in docs/benchmarks.md. `--smoke` runs every
// case for a moment, with no targets and nothing written (part of npm test); `--only=`
// some of them (auth, api, ceiling, login, storm, scale, memory, sessions, staleness, guilds, access); `--profile` runs the first
// instance under V8's profiler and prints where its CPU time went (nothing written then:
// the profiler slows what it watches).

const plan = process.argv.includes("--smoke") ? SMOKE : FULL;
// --only=auth,api runs some cases (while working on them); nothing is written then.
const only = process.argv
  .find((arg) => arg.startsWith("--only="))
  ?.slice("--only=".length)
  .split(",");
const profileDirectory = process.argv.includes("--profile")
  ? fileURLToPath(new URL(`../.cache/bench-profiles/${Date.now()}`, import.meta.url))
  : undefined;
const LIMIT_MINUTES = 25;
const instances: AppInstance[] = [];
let baseline: BaselineApp | undefined;
const watchdog = setTimeout(() => {
  console.error(`[bench] over ${LIMIT_MINUTES} minutes: stopping.`);
  for (const instance of [...instances, ...(baseline ? [baseline] : [])]) {
    try {
      process.kill(instance.pid, "SIGKILL"); // no orphans left serving
    } catch {
      // already stopped
    }
  }
  process.exit(2);
}, LIMIT_MINUTES * 60_000);
watchdog.unref();

const started = Date.now();
const say = (message: string) => console.log(`[bench] ${message}`);
const database = await createTestDatabase();
if (!plan.smoke && !testServerUrl()) {
  say("no TEST_DATABASE_URL: measuring against the embedded Postgres, which is far slower than a server");
}
const ports = [await freePort(), await freePort()];
const appUrl = `http://127.0.0.1:${ports[0]}`;
// The second redirect URI is the one the emulator's test harness signs in with (for the
// refresh round trip, measured straight against the emulator).
const emulator = await startEmulator({
  port: 0,
  redirectUris: [`${appUrl}/auth/discord/callback`, `${appUrl}/servers/bot-added`, REDIRECT_URI],
});
const env = {
  ...deploymentEnv({ appUrl, databaseUrl: database.url, emulator }),
  // One client address sends all the load: limits would measure themselves.
  RATE_LIMIT_LOGINS_PER_MINUTE: "0",
  RATE_LIMIT_ACTIONS_PER_MINUTE: "0",
};
// Seeding a million users takes a while: this connection may wait minutes, the app's 15 s.
const db = createDatabase(database.url, { maxConnections: 2, queryTimeoutMs: 300_000 });
let missed = false;
try {
  say(`building and starting two instances (${plan.smoke ? "smoke run" : "full run"})`);
  const firstFlags = profileDirectory ? profileFlags(profileDirectory) : [];
  instances.push(
    ...(await Promise.all(ports.map((port, index) => startAppInstance(port, env, index === 0 ? firstFlags : [])))),
  );
  say("building and starting the baseline (a minimal Remix app)");
  baseline = await startBaselineApp(await freePort());
  const context: BenchContext = {
    plan,
    instances: [instances[0]!, instances[1]!],
    env,
    baseline,
    emulator,
    db,
    async newUser(name) {
      const account = await createAccount(emulator, name);
      const login = await logInOverHttp(appUrl, emulator, account.id);
      return { accountId: account.id, cookie: login.cookie };
    },
    say,
    async startInstance(databaseUrl, extraEnv = {}) {
      const instance = await startAppInstance(await freePort(), { ...env, ...extraEnv, DATABASE_URL: databaseUrl });
      instances.push(instance);
      return instance;
    },
  };
  const outcomes: CaseOutcome[] = [];
  for (const [name, key, run] of [
    ["auth overhead", "auth", authOverhead],
    ["user API", "api", userApi],
    ["stack ceiling", "ceiling", stackCeiling],
    ["login throughput", "login", loginThroughput],
    ["refresh storm", "storm", refreshStorm],
    ["scale", "scale", scale],
    ["memory", "memory", memory],
    ["session cache", "sessions", sessionCache],
    ["staleness", "staleness", staleness],
    ["guild cache", "guilds", guildCache],
    ["members only", "access", membersOnly],
    ["bot dashboard", "dashboard", dashboard],
  ] as const) {
    if (only && !only.includes(key)) continue;
    say(`${name}…`);
    outcomes.push(await run(context));
  }
  const rows = outcomes.flatMap((outcome) => outcome.rows);
  const findings = [...outcomes.flatMap((outcome) => outcome.findings), generatorFinding(rows)];
  console.log(`\n${table(rows)}\n\n${verdicts(findings)}\n`);
  missed = findings.some((finding) => finding.passed === false);
  if (!plan.smoke && !only && !profileDirectory) {
    const { rows: version } = await sql<{ v: string }>`select split_part(version(), ' on ', 1) as v`.execute(db);
    writeBenchmarksDoc(
      describeEnvironment(version[0]!.v, new URL(database.url).host),
      rows,
      findings,
      (Date.now() - started) / 60_000,
    );
    say("wrote docs/benchmarks.md");
  }
  say(`done in ${((Date.now() - started) / 1000).toFixed(0)} s${missed ? "; some targets were missed (✗)" : ""}`);
} finally {
  await Promise.all(instances.map((instance) => instance.stop()));
  await baseline?.stop();
  // The profile is written as the instance exits.
  if (profileDirectory) console.log(`\n${summariseNewestProfile(profileDirectory)}\n`);
  await db.destroy();
  await emulator.close();
  await database.destroy();
}

/**
 * A generator near a whole core measures itself, not the app: the busiest one of the run,
 * and which load it drove, so a figure it capped is never taken for the app's.
 */
function generatorFinding(rows: Row[]): Finding {
  const driven = rows.filter((row) => row.load.generatorCpu !== undefined);
  const busiest = driven.reduce<Row | undefined>(
    (top, row) => (!top || row.load.generatorCpu! > top.load.generatorCpu! ? row : top),
    undefined,
  );
  const share = busiest?.load.generatorCpu ?? 0;
  return {
    name: "Load generator: its busiest share of one core (autocannon, a process of its own)",
    value: busiest ? `${(share * 100).toFixed(0)}% (${busiest.case}: ${busiest.variant})` : "no load driven",
    target: "< 90%, else that row measures the generator",
    passed: plan.smoke ? null : share < 0.9,
  };
}
