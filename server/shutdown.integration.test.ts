import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase } from "~/db/db.server";
import { startEmulator, type RunningEmulator } from "../emulator/server";
import { control, seededId } from "../emulator/testing/harness";
import {
  deploymentEnv,
  freePort,
  logInOverHttp,
  startAppInstance,
  type AppInstance,
} from "../tests/support/app-instances";
import { createTestDatabase, testServerUrl, type TestDatabase } from "../tests/support/test-database";

let database: TestDatabase;
let emulator: RunningEmulator;
let app: AppInstance;
let appStartedAt: Date;

beforeAll(async () => {
  database = await createTestDatabase();
  appStartedAt = new Date();
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  emulator = await startEmulator({ port: 0, redirectUris: [`${appUrl}/auth/discord/callback`] });
  app = await startAppInstance(port, deploymentEnv({ appUrl, databaseUrl: database.url, emulator }));
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await emulator?.close();
  await database?.destroy();
});

/** Connections the app process opened (the test's own pool predates it). */
async function appConnections(): Promise<number> {
  const observer = createDatabase(database.url, { maxConnections: 1 });
  try {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from pg_stat_activity
      where datname = current_database() and application_name = 'remix-discord-login'
        and backend_start >= ${appStartedAt} and pid <> pg_backend_pid()`.execute(observer);
    return rows[0]!.n;
  } finally {
    await observer.destroy();
  }
}

describe("SIGTERM", () => {
  it("stops accepting, finishes the requests in flight, closes its connections and exits 0", async () => {
    const { cookie } = await logInOverHttp(app.url, emulator, seededId("nova"));
    // A page that will take a while: Discord answers the server list after 1.5 s.
    await control(emulator, "POST", "/faults", { route: "guilds", count: 1, delay_ms: 1_500 });
    const inFlight = fetch(`${app.url}/servers`, { headers: { Cookie: cookie } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Connections are counted in pg_stat_activity, which only a real server fills (the
    // embedded Postgres has one backend for everyone): checked there, as in CI.
    const countsConnections = Boolean(testServerUrl());
    if (countsConnections) expect(await appConnections()).toBeGreaterThan(0);

    process.kill(app.pid, "SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expect(fetch(`${app.url}/healthz`)).rejects.toThrow(); // no longer accepting

    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Your servers");
    expect(await app.exited).toBe(0);
    if (!countsConnections) return;
    // The server notices closed connections within moments.
    let remaining = await appConnections();
    for (let attempt = 0; attempt < 20 && remaining > 0; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      remaining = await appConnections();
    }
    expect(remaining).toBe(0);
  });
});
