import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { createDatabase } from "~/db/db.server";
import { control, seededId } from "../emulator/testing/harness";
import { logInOverHttp } from "../tests/support/app-instances";
import { useDeployment } from "../tests/support/deployment";
import { testServerUrl } from "../tests/support/test-database";

const deployment = useDeployment();

/** Connections the app process opened (the test's own pool predates it). */
async function appConnections(): Promise<number> {
  const { database, appStartedAt } = deployment();
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
    const { app, emulator } = deployment();
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
