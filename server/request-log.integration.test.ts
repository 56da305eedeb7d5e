import { describe, expect, it, vi } from "vitest";
import { control, issuedTokens, seededId } from "../emulator/testing/harness";
import { logInOverHttp } from "../tests/support/app-instances";
import { useDeployment } from "../tests/support/deployment";
import { logEntries, loggedRequests } from "../tests/support/log-lines";

// The production app (remix-serve with server/request-log.cjs preloaded) through a whole
// login, refresh and revoke: its logs must say what happened, and give away nothing.

const deployment = useDeployment();

describe("the production log", () => {
  it("has one JSON line per request, and no token, code, cookie or secret", async () => {
    const { app, emulator, env } = deployment();
    const login = await logInOverHttp(app.url, emulator, seededId("nova"));
    const headers = { Cookie: login.cookie, Origin: app.url };
    await control(emulator, "POST", `/accounts/${seededId("nova")}/expire-tokens`);
    const servers = await fetch(`${app.url}/servers`, { headers });
    expect(servers.status).toBe(200);
    expect(servers.headers.get("X-Request-Id")).toMatch(/^[0-9a-f-]{36}$/);
    expect((await fetch(`${app.url}/revoke`, { method: "POST", headers, redirect: "manual" })).status).toBe(302);
    // A failed login and a missing page, for good measure.
    await fetch(`${app.url}/auth/discord/callback?code=leaked-code-123&state=nope`, { redirect: "manual" });
    expect((await fetch(`${app.url}/no/such/page?token=abc`)).status).toBe(404);
    // The line is written once the answer has gone, so it may reach us just after it.
    await vi.waitFor(() => expect(loggedRequests(app.output())).toContain("GET /no/such/page 404"));

    const output = app.output();
    const tokens = await issuedTokens(emulator, seededId("nova"));
    const secrets = [
      ...tokens.map((token) => token.token),
      login.code,
      login.state,
      login.cookie.split("=")[1]!,
      "leaked-code-123",
      env.SESSION_SECRET!,
      env.TOKEN_ENCRYPTION_KEY!,
      env.DISCORD_CLIENT_SECRET!,
    ];
    expect(tokens.length).toBeGreaterThanOrEqual(4); // issued, refreshed (both rotated)
    for (const secret of secrets) expect(output).not.toContain(secret);

    const entries = logEntries(output);
    const requests = entries.filter((entry) => entry.msg === "request");
    expect(loggedRequests(output)).toEqual(
      expect.arrayContaining([
        "POST /auth/discord 302",
        "GET /auth/discord/callback 302",
        "GET /servers 200",
        "POST /revoke 302",
        "GET /no/such/page 404",
      ]),
    );
    for (const entry of requests) {
      expect(entry).toEqual({
        time: expect.any(String),
        level: "info",
        msg: "request",
        request_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        method: expect.any(String),
        path: expect.not.stringContaining("?"),
        status: expect.any(Number),
        duration_ms: expect.any(Number),
      });
    }
    // The refused login is explained, tied to its request.
    const failed = entries.find((entry) => entry.msg === "login failed");
    expect(failed).toMatchObject({ level: "warn", reason: "no_state_in_cookie", request_id: expect.any(String) });
  });
});
