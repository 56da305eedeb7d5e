import { connect } from "node:net";
import { beforeAll, describe, expect, it } from "vitest";
import { seededId } from "../emulator/testing/harness";
import { logInOverHttp } from "../tests/support/app-instances";
import { useDeployment } from "../tests/support/deployment";

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

async function rows() {
  const count = async (table: "users" | "sessions" | "discord_tokens" | "login_attempts") =>
    (
      await deployment()
        .database.db.selectFrom(table)
        .select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirstOrThrow()
    ).n;
  return {
    users: await count("users"),
    sessions: await count("sessions"),
    tokens: await count("discord_tokens"),
    attempts: await count("login_attempts"),
  };
}

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
      headers: { Cookie: response.headers.getSetCookie()[0]!.split(";")[0]! },
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
});
