import { Agent } from "node:http";
import { connect } from "node:net";
import { beforeAll, describe, expect, it } from "vitest";
import { seededId } from "../emulator/testing/harness";
import { logInOverHttp } from "../tests/support/app-instances";
import { useDeployment } from "../tests/support/deployment";
import { tableCounts } from "../tests/support/row-counts";
import { firstCookie } from "../tests/support/set-cookie";
import { sendExactly } from "../tests/support/exact-request";

// Every row of docs/bad-input.md, sent over real HTTP to the production build. Each case
// must get a clear 4xx (or a redirect with an explanation) and change nothing.

const deployment = useDeployment();
let cookie: string;

beforeAll(async () => {
  const { app, emulator } = deployment();
  cookie = (await logInOverHttp(app.url, emulator, seededId("nova"))).cookie;
});

const request = (path: string, init: RequestInit = {}) =>
  fetch(`${deployment().app.url}${path}`, { redirect: "manual", ...init });
const signedIn = (init: RequestInit = {}) => ({
  ...init,
  headers: { Cookie: cookie, Origin: deployment().app.url, ...init.headers },
});

async function stillSignedIn(): Promise<boolean> {
  return (await request("/dashboard", { headers: { Cookie: cookie } })).status === 200;
}

/** Rows in the tables a request could write. */
const rows = () => tableCounts(deployment().database.db, ["users", "sessions", "discord_tokens", "login_attempts"]);

/** Sends raw bytes, for requests fetch() refuses to make. */
function rawRequest(bytes: Buffer): Promise<string> {
  const { port } = new URL(deployment().app.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), "127.0.0.1", () => socket.end(bytes));
    let answer = "";
    socket.on("data", (chunk) => (answer += chunk.toString("latin1")));
    socket.on("end", () => resolve(answer));
    socket.on("error", reject);
  });
}

/** One request over a given connection pool, with its body sent chunked when asked. */
async function send(
  agent: Agent,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: Buffer,
  options: { chunked?: boolean } = {},
): Promise<{ status: number; type: string | undefined; body: string }> {
  const answer = await sendExactly({ url: deployment().app.url, agent }, { method, path, headers, body, ...options });
  return { status: answer.status, type: answer.headers["content-type"], body: answer.body.toString() };
}

describe("bad input", () => {
  it("B1 unknown route: 404 page", async () => {
    const response = await request("/no/such/page");
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("Page not found");
  });

  it.each([
    ["POST", "/dashboard", 405],
    ["PUT", "/logout", 405],
    ["DELETE", "/revoke", 405],
    ["PATCH", "/sessions/end", 405],
    ["POST", "/sessions", 405],
    ["POST", "/healthz", 405],
    ["POST", "/api/auth/user", 405],
  ])("B2 wrong method %s %s: %i, nothing changed", async (method, path, status) => {
    const before = await rows();
    expect((await request(path, signedIn({ method }))).status).toBe(status);
    expect(await rows()).toEqual(before);
    expect(await stillSignedIn()).toBe(true);
  });

  it.each([
    ["/logout", "/"],
    ["/revoke", "/dashboard"],
    ["/auth/discord", "/login"],
  ])("B3 GET %s never changes anything: redirects to %s", async (path, location) => {
    const response = await request(path, { headers: { Cookie: cookie } });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(location);
    expect(await stillSignedIn()).toBe(true);
  });

  it.each([
    ["missing code and state", "/auth/discord/callback"],
    ["only an error", "/auth/discord/callback?error=server_error"],
    ["duplicated code", "/auth/discord/callback?code=a&code=b&state=x"],
    ["oversized code", `/auth/discord/callback?code=${"c".repeat(3000)}&state=x`],
  ])("B4 callback with %s: back to the login page with a message", async (_case, path) => {
    const before = await rows();
    const response = await request(path);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(/^\/login/);
    const page = await request(response.headers.get("Location")!, {
      headers: { Cookie: firstCookie(response) },
    });
    expect(await page.text()).toMatch(/class="notice error"/);
    expect(await rows()).toEqual(before);
  });

  it("B5 a URL longer than 16 KiB: 431 from the server, before the app", async () => {
    const answer = await rawRequest(
      Buffer.from(`GET /login?returnTo=${"a".repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`),
    );
    expect(answer).toMatch(/^HTTP\/1\.1 431/);
  });

  it("B6 raw non-UTF-8 bytes in the URL: 400 from the server", async () => {
    const answer = await rawRequest(
      Buffer.concat([
        Buffer.from("GET /login?returnTo=/"),
        Buffer.from([0xff, 0xfe]),
        Buffer.from(" HTTP/1.1\r\nHost: x\r\n\r\n"),
      ]),
    );
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
  });

  it("B7 percent-encoded invalid UTF-8 in returnTo: the login page, with the default destination", async () => {
    const response = await request("/login?returnTo=%FF%FE%2F%2Fevil.example");
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('name="returnTo" value="/dashboard"');
  });

  it.each([
    ["tampered", (value: string) => value.replace(/.$/, (char) => (char === "A" ? "B" : "A"))],
    ["truncated", (value: string) => value.slice(0, 20)],
    ["oversized", () => "x".repeat(8_000)],
    ["foreign-signed", () => `${encodeURIComponent(btoa(JSON.stringify({ sid: "a".repeat(43) })))}.${"A".repeat(43)}`],
    ["unknown session id", () => `${encodeURIComponent(btoa(JSON.stringify({ sid: "a".repeat(43) })))}`],
  ])("B8 %s session cookie: treated as signed out, never a 500", async (_case, mangle) => {
    const value = cookie.slice(cookie.indexOf("=") + 1);
    const response = await request("/dashboard", { headers: { Cookie: `session=${mangle(value)}` } });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/login?returnTo=%2Fdashboard");
  });

  it.each([
    ["JSON", "application/json", JSON.stringify({ intent: "end-others" })],
    ["plain text", "text/plain", "intent=end-others"],
    [
      "multipart",
      "multipart/form-data; boundary=x",
      '--x\r\nContent-Disposition: form-data; name="intent"\r\n\r\nend-others\r\n--x--',
    ],
  ])("B9 a %s body where a form is expected: 400, nothing changed", async (_case, type, body) => {
    const before = await rows();
    const response = await request(
      "/sessions/end",
      signedIn({ method: "POST", body, headers: { "Content-Type": type } }),
    );
    expect(response.status).toBe(400);
    expect(await rows()).toEqual(before);
  });

  it("B10 a form over 16 KiB: 413, nothing changed", async () => {
    const before = await rows();
    const body = `intent=end-others&padding=${"p".repeat(20_000)}`;
    const response = await request(
      "/sessions/end",
      signedIn({ method: "POST", body, headers: { "Content-Type": "application/x-www-form-urlencoded" } }),
    );
    expect(response.status).toBe(413);
    expect(await rows()).toEqual(before);
  });

  it.each([
    ["a foreign Origin", { Origin: "https://evil.example" }],
    ["Origin: null", { Origin: "null" }],
    ["no Origin and a foreign Referer", { Origin: "", Referer: "https://evil.example/page" }],
  ])("B11 a state-changing POST with %s: 403, nothing changed", async (_case, headers) => {
    const before = await rows();
    for (const path of ["/auth/discord", "/logout", "/revoke", "/sessions/end", "/account/delete/confirm"]) {
      const response = await request(path, {
        method: "POST",
        headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded", ...headers },
        body: "intent=end-others&confirm=delete",
      });
      expect(response.status, path).toBe(403);
    }
    expect(await rows()).toEqual(before);
    expect(await stillSignedIn()).toBe(true);
  });

  it("B12 a webhook body that is not signed JSON: 401, nothing changed", async () => {
    const before = await rows();
    const response = await request("/webhooks/discord", {
      method: "POST",
      body: "not json",
      headers: { "Content-Type": "application/json" },
    });
    expect(response.status).toBe(401);
    expect(await rows()).toEqual(before);
  });

  it("B13 a login started with a body that is not a form: answered at once, as a login without returnTo", async () => {
    const agent = new Agent({ keepAlive: true });
    const origin = { Origin: deployment().app.url };
    for (const type of [
      "text/plain",
      "application/json",
      "application/octet-stream",
      "multipart/form-data; boundary=x",
    ]) {
      const started = await send(
        agent,
        "POST",
        "/auth/discord",
        { ...origin, "Content-Type": type },
        Buffer.from("{}"),
      );
      expect(started.status, type).toBe(302);
    }
    agent.destroy();
  });

  it("B14 a webhook body over 64 KiB sent chunked (no length): 413, as with a length", async () => {
    const agent = new Agent({ keepAlive: true });
    const oversized = Buffer.alloc(64 * 1024 + 1, "x");
    for (const chunked of [false, true]) {
      const answer = await send(agent, "POST", "/webhooks/discord", { "Content-Type": "application/json" }, oversized, {
        chunked,
      });
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body)).toMatchObject({ error: "payload_too_large" });
    }
    agent.destroy();
  });

  it("B15 a body nobody reads does not stall the connection: the next request on it is answered", async () => {
    // One connection, as a reverse proxy reuses with the app for many clients.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const junk = Buffer.alloc(200_000, "j");
    const refused = await send(agent, "POST", "/dashboard", { Origin: deployment().app.url }, junk, { chunked: true });
    expect(refused.status).toBe(405);
    const next = await send(agent, "GET", "/healthz", {}, Buffer.alloc(0));
    expect(next.status).toBe(200);
    agent.destroy();
  });

  it("B16 a state-changing request to a page from another site: a 403 page, not Remix's bodiless 500", async () => {
    const agent = new Agent();
    for (const [method, path] of [
      ["POST", "/"],
      ["DELETE", "/dashboard"],
      ["POST", "/dashboard.data"],
      ["HEAD", "/_root.data"],
    ]) {
      const answer = await send(agent, method!, path!, { Origin: "https://evil.example" }, Buffer.alloc(0));
      expect(answer.status, `${method} ${path}`).toBe(403);
      expect(answer.type).toMatch(/^text\/html/);
      // A HEAD answer has no body; every other carries the page.
      expect(answer.body.includes("Request refused"), `${method} ${path}`).toBe(method !== "HEAD");
    }
  });

  it("B17 a returnTo that grows when encoded (600 wide spaces): the login starts, with the default destination", async () => {
    const started = await request("/auth/discord", {
      method: "POST",
      headers: { Origin: deployment().app.url, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ returnTo: `/${"\u3000".repeat(600)}` }),
    });
    expect(started.status).toBe(302);
    expect(started.headers.get("Location")).toMatch(/\/oauth2\/authorize\?/);
    const [loginCookie] = started.headers.getSetCookie();
    expect(Buffer.byteLength(loginCookie!)).toBeLessThanOrEqual(4096);
  });

  it("B18 a page address too long to come back to: to the login page, without it", async () => {
    const response = await request(`/dashboard?q=${"%E3%80%80".repeat(600)}`);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/login");
  });
});
