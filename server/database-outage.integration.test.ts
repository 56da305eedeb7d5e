import { describe, expect, it } from "vitest";
import { seededId } from "../emulator/testing/harness";
import { logInOverHttp } from "../tests/support/app-instances";
import { useDeployment } from "../tests/support/deployment";
import { startTcpProxy, type TcpProxy } from "../tests/support/tcp-proxy";
import { tableCounts } from "../tests/support/row-counts";

// A production instance whose Postgres goes away (a TCP proxy the test cuts) and comes back.

let proxy: TcpProxy;
const deployment = useDeployment({
  async reachDatabase(database) {
    const real = new URL(database.url);
    proxy = await startTcpProxy({ host: real.hostname, port: Number(real.port || 5432) });
    const throughProxy = new URL(database.url);
    throughProxy.host = `127.0.0.1:${proxy.port}`;
    return { url: throughProxy.toString(), close: () => proxy.close() };
  },
});

async function rowCount(table: "users" | "login_attempts"): Promise<number> {
  return (await tableCounts(deployment().database.db, [table]))[table];
}

describe("when Postgres goes away", () => {
  it("answers 503 with a clear page, writes nothing half-way, and recovers without a restart", async () => {
    const { app, emulator } = deployment();
    const { cookie } = await logInOverHttp(app.url, emulator, seededId("nova"));
    expect((await fetch(`${app.url}/dashboard`, { headers: { Cookie: cookie } })).status).toBe(200);
    const attemptsBefore = await rowCount("login_attempts");

    proxy.cut();
    // For up to a second the session may still be served from memory (its cache is usable
    // while the latest proof of delivery is that recent: ADR 010); then the page needs
    // Postgres, and says it is away.
    const dashboard = () => fetch(`${app.url}/dashboard`, { headers: { Cookie: cookie } });
    await expect.poll(async () => (await dashboard()).status, { timeout: 3_000, interval: 100 }).toBe(503);
    const page = await dashboard();
    expect(page.status).toBe(503);
    expect(page.headers.get("Retry-After")).toBe("30");
    const html = await page.text();
    expect(html).toContain("Temporarily unavailable");
    expect(html).toContain("The database is not answering right now");
    const health = await fetch(`${app.url}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({
      status: "unavailable",
      error: "database_unavailable",
      database: "unreachable",
    });
    // Asked through a proxy, it says no more than that it cannot serve.
    const publicHealth = await fetch(`${app.url}/healthz`, { headers: { "X-Forwarded-For": "203.0.113.9" } });
    expect(publicHealth.status).toBe(503);
    expect(await publicHealth.json()).toEqual({
      status: "unavailable",
      error: "unavailable",
      message: "This instance cannot serve requests right now.",
    });
    // Starting a login needs the database: refused whole, never half-done.
    const login = await fetch(`${app.url}/auth/discord`, {
      method: "POST",
      headers: { Origin: app.url },
      redirect: "manual",
    });
    expect(login.status).toBe(503);
    const api = await fetch(`${app.url}/api/auth/user`, { headers: { Cookie: cookie } });
    expect(api.status).toBe(503);

    proxy.restore();
    expect(await rowCount("login_attempts")).toBe(attemptsBefore);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${app.url}/dashboard`, { headers: { Cookie: cookie } })).status).toBe(200);
    await logInOverHttp(app.url, emulator, seededId("pixelpine"));
    expect(await rowCount("users")).toBe(2);
  });
});
