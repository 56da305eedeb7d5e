import { performance } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDatabase } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import { startEmulator, type RunningEmulator } from "../emulator/server";
import { seededId } from "../emulator/testing/harness";
import {
  deploymentEnv,
  freePort,
  logInOverHttp,
  startAppInstance,
  type AppInstance,
} from "../tests/support/app-instances";
import { postgresBinDir, startOwnPostgres, type OwnPostgres } from "../tests/support/own-postgres";
import { accepts, logOutOn, signedInPerson, untilCache, untilRefused } from "../tests/support/session-probes";

// Postgres stopped hard (pg_ctl stop -m immediate, as a crash would) under load, and
// started again, on a cluster of this test's own: two instances of the production build
// must answer every request meanwhile (200, a redirect or 503; never a 500, none left
// hanging), serve sessions from memory again moments after the database is back, and
// carry endings between them afterwards. Times are reported; the bounds are generous.

const binDir = postgresBinDir();
let postgres: OwnPostgres;
let emulator: RunningEmulator;
let env: Record<string, string>;
const apps: AppInstance[] = [];
/** Instances that exited (crashed) while the test ran. */
const exited: string[] = [];

beforeAll(async () => {
  postgres = await startOwnPostgres();
  const db = createDatabase(postgres.url);
  await migrateToLatest(db);
  await db.destroy();
  const ports = [await freePort(), await freePort()];
  const appUrl = `http://127.0.0.1:${ports[0]}`;
  emulator = await startEmulator({
    port: 0,
    redirectUris: ports.map((port) => `http://127.0.0.1:${port}/auth/discord/callback`),
  });
  env = deploymentEnv({ appUrl, databaseUrl: postgres.url, emulator });
  apps.push(...(await Promise.all(ports.map((port) => startAppInstance(port, env)))));
  for (const app of apps)
    void app.exited.then((code) => exited.push(`${app.url} exited with ${code}\n${app.output()}`));
  await Promise.all(apps.map((app) => untilCache(app, "live")));
}, 120_000);

afterAll(async () => {
  await Promise.all(apps.map((app) => app.stop()));
  await emulator?.close();
  await postgres?.destroy();
});

interface LoadReport {
  statuses: Record<string, number>;
  /** Requests with no answer within 20 s. */
  hung: number;
  /** Requests that failed without an HTTP answer (reset, refused). */
  failures: string[];
}

/** Workers asking every instance for signed-in and anonymous pages until stopped; the report fills as they go. */
function startLoad(cookies: string[]): { report: LoadReport; stop(): Promise<LoadReport> } {
  const report: LoadReport = { statuses: {}, hung: 0, failures: [] };
  let running = true;
  const paths = ["/api/auth/user", "/dashboard", "/", "/sessions"];
  const worker = async (index: number) => {
    for (let turn = index; running; turn += 1) {
      const app = apps[turn % apps.length]!;
      const cookie = cookies[turn % cookies.length]!;
      try {
        const response = await fetch(`${app.url}${paths[turn % paths.length]}`, {
          headers: { Cookie: cookie },
          redirect: "manual",
          signal: AbortSignal.timeout(20_000),
        });
        await response.body?.cancel();
        report.statuses[response.status] = (report.statuses[response.status] ?? 0) + 1;
      } catch (error) {
        if ((error as Error).name === "TimeoutError") report.hung += 1;
        else report.failures.push((error as Error).message);
      }
    }
  };
  const workers = Promise.all(Array.from({ length: 8 }, (_, index) => worker(index)));
  return {
    report,
    async stop() {
      running = false;
      await workers;
      return report;
    },
  };
}

describe.skipIf(!binDir)("Postgres stopped hard under load, then started again", () => {
  it("every request is answered, caches are live again at once, and endings still reach every instance", async () => {
    const cookies = await Promise.all(
      ["nova", "pixelpine"].map(
        async (account) => (await logInOverHttp(apps[0]!.url, emulator, seededId(account))).cookie,
      ),
    );
    const load = startLoad(cookies);
    const answered = (status: number) => load.report.statuses[status] ?? 0;
    // Pages are being served when Postgres goes away...
    await vi.waitFor(() => expect(answered(200)).toBeGreaterThanOrEqual(20), { timeout: 10_000 });
    await postgres.kill();
    // ...refused with 503 once the instances find it gone...
    await vi.waitFor(() => expect(answered(503)).toBeGreaterThan(0), { timeout: 20_000 });
    await postgres.start();
    // ...and served again once it is back. Measured from when Postgres accepts connections again.
    const liveAfter = await Promise.all(apps.map((app) => untilCache(app, "live", 20_000)));
    const servedWhenLive = answered(200);
    await vi.waitFor(() => expect(answered(200)).toBeGreaterThanOrEqual(servedWhenLive + 20), { timeout: 10_000 });
    const report = await load.stop();
    const total = Object.values(report.statuses).reduce((sum, count) => sum + count, 0);
    console.log(
      `[postgres-restart] ${total} requests to 2 instances over a hard stop and start: statuses ${JSON.stringify(report.statuses)}, ${report.hung} unanswered, ${report.failures.length} failed; session caches live again ${liveAfter.map((ms) => `${(ms / 1000).toFixed(2)} s`).join(" and ")} after Postgres accepted connections`,
    );
    expect(exited).toEqual([]);
    expect(report.failures).toEqual([]);
    expect(report.hung).toBe(0);
    expect(Object.keys(report.statuses).sort()).toEqual(expect.arrayContaining(["200", "503"]));
    for (const status of Object.keys(report.statuses)) expect(["200", "302", "503"]).toContain(status);
    for (const ms of liveAfter) expect(ms).toBeLessThan(10_000);

    const db = createDatabase(postgres.url);
    try {
      const person = await signedInPerson(db, env);
      for (const app of apps) expect(await accepts(app, person.cookie)).toBe(true);
      await logOutOn(apps[0]!, person.cookie, env.APP_URL!);
      await untilRefused([apps[1]!], person.cookie, performance.now(), 2_500);
    } finally {
      await db.destroy();
    }
  }, 90_000);
});
