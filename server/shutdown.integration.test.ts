import { sql } from "kysely";
import { describe, expect, it, vi } from "vitest";
import { createDatabase } from "~/db/db.server";
import { control, inFlightOn, seededId } from "../emulator/testing/harness";
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

/** Whether anything still accepts connections at `url`. */
const accepting = (url: string) =>
  fetch(`${url}/healthz`).then(
    () => true,
    () => false,
  );

// The two tests share the one app of this file: the second looks at what the first's
// SIGTERM left behind.
let connectionsWhileServing: number | undefined;

describe("SIGTERM", () => {
  it("stops accepting, finishes the requests in flight and exits 0, though the signal comes twice", async () => {
    const { app, emulator } = deployment();
    const { cookie } = await logInOverHttp(app.url, emulator, seededId("nova"));
    // A page that will take a while: Discord holds the server list back for 1.5 s.
    await control(emulator, "POST", "/faults", { route: "guilds", count: 1, delay_ms: 1_500 });
    const inFlight = fetch(`${app.url}/servers`, { headers: { Cookie: cookie } });
    await vi.waitFor(async () => expect(await inFlightOn(emulator, "guilds")).toBe(1), { timeout: 5_000 });
    if (testServerUrl()) connectionsWhileServing = await appConnections();

    process.kill(app.pid, "SIGTERM");
    await vi.waitFor(async () => expect(await accepting(app.url)).toBe(false), { timeout: 5_000 });
    // Again, as under systemd's default KillMode=control-group: systemd signals every
    // process of the unit, and the launcher, hearing it too, passes its own on to the app.
    process.kill(app.pid, "SIGTERM");
    // Discord was still holding the page's request when the app stopped accepting.
    expect(await inFlightOn(emulator, "guilds")).toBe(1);

    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Your servers");
    expect(await app.exited).toBe(0);
  });

  // Counted in pg_stat_activity, which only a real server fills (the embedded Postgres has
  // one backend for everyone): checked there, as in CI.
  it.skipIf(!testServerUrl())("closes the database connections it held while serving", async () => {
    expect(connectionsWhileServing).toBeGreaterThan(0);
    // The server notices closed connections within moments.
    await expect.poll(appConnections, { timeout: 5_000 }).toBe(0);
  });
});
