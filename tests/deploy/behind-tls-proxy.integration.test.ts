import { chromium, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  control as emulatorControl,
  controlOk,
  createAccount,
  inFlightOn,
  issuedTokens,
  type CreatedAccount,
} from "../../emulator/testing/harness";
import { CHROMIUM_ARGS, chromiumExecutable } from "../support/chromium";
import { startProxiedDeployment, type ProxiedDeployment } from "../support/proxied-deployment";
import { testServerUrl } from "../support/test-database";

// docs/deploy.md, followed to the letter: two instances of the production build on one
// Postgres, Discord (the emulator, configured as real Discord), and Caddy with
// deploy/Caddyfile terminating TLS on https://localhost:<port>. Driven by Chromium with
// JavaScript on and off, then by a steady stream of requests across a rolling restart.

let deployment: ProxiedDeployment;
let browser: Browser;
const report: string[] = [];

beforeAll(async () => {
  deployment = await startProxiedDeployment();
  browser = await chromium.launch({
    executablePath: chromiumExecutable(),
    // The browser reaches Caddy over IPv4; Caddy reaches the instances over IPv6.
    args: [...CHROMIUM_ARGS, "--host-resolver-rules=MAP localhost 127.0.0.1"],
  });
  report.push(`proxy: Caddy ${deployment.caddyVersion}`);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await deployment?.stop();
  // What the closing note of a deployment change quotes: values as the browser saw them.
  if (report.length) console.log(`[deploy]\n  ${report.join("\n  ")}`);
});

/** A browser context that trusts the deployment's certificate as a browser told of its CA would. */
function newContext(javaScriptEnabled: boolean): Promise<BrowserContext> {
  return browser.newContext({ baseURL: deployment.appUrl, javaScriptEnabled, ignoreHTTPSErrors: true });
}

/** POST to the emulator's control API; its JSON answer, once it says the change was made. */
const control = (path: string, body: unknown): Promise<any> => controlOk(deployment.emulator, "POST", path, body);

/** A fresh emulated account (tests change what they touch), owner of one server. */
async function newAccount(purpose: string): Promise<CreatedAccount> {
  const account = await createAccount(deployment.emulator, purpose, {
    global_name: `Deploy ${purpose}`,
    email: `${purpose}@example.com`,
  });
  await control("/guilds", { name: `${purpose} headquarters`, owner_id: account.id, icon: true });
  return account;
}

async function logIn(page: Page, username: string): Promise<void> {
  await page.goto("/login");
  await page.getByRole("button", { name: "Log in with Discord" }).click();
  await page.waitForURL((url) => url.href.startsWith(`${deployment.emulator.url}/oauth2/authorize`));
  await page.getByRole("radio", { name: new RegExp(`@${username.replaceAll(".", "\\.")}\\b`) }).check();
  await page.getByRole("button", { name: "Authorize" }).click();
  await page.waitForURL(`${deployment.appUrl}/dashboard`);
}

/** Requests each instance logged for a route, as a document or as Remix's data request. */
function servedBy(pathname: string): number[] {
  return deployment.instances.map(
    (instance) =>
      instance.requests().filter((entry) => entry.path === pathname || entry.path === `${pathname}.data`).length,
  );
}

describe.each([
  { mode: "JavaScript on", javaScriptEnabled: true },
  { mode: "JavaScript off", javaScriptEnabled: false },
])("through Caddy over https, $mode", ({ mode, javaScriptEnabled }) => {
  it("logs in with secure cookies and HSTS, is served by both instances, and shows the browser's own address", async () => {
    const account = await newAccount(javaScriptEnabled ? "deployjs" : "deploynojs");
    const context = await newContext(javaScriptEnabled);
    try {
      const page = await context.newPage();
      await logIn(page, account.username);
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(account.global_name);

      const cookies = await context.cookies(deployment.appUrl);
      expect(cookies.map((cookie) => cookie.name)).toEqual(["__Host-session"]);
      const [session] = cookies;
      expect(session).toMatchObject({ domain: "localhost", path: "/", secure: true, httpOnly: true, sameSite: "Lax" });
      const page2 = await page.goto("/dashboard");
      const headers = page2!.headers();
      expect(headers["strict-transport-security"]).toBe("max-age=31536000");
      if (javaScriptEnabled) {
        report.push(
          `cookie (browser's view): ${session!.name}; Domain=${session!.domain} (host-only); Path=${session!.path}; ` +
            `Secure=${session!.secure}; HttpOnly=${session!.httpOnly}; SameSite=${session!.sameSite}; ` +
            `expires in ${Math.round((session!.expires * 1000 - Date.now()) / 86_400_000)} days`,
          `Strict-Transport-Security: ${headers["strict-transport-security"]}`,
          `Content-Security-Policy: ${headers["content-security-policy"]}`,
        );
      }

      // Round robin: page loads reach both instances, and the session holds on each. A
      // page load is a fixed number of requests (the page, its favicon…), which can keep
      // every page on one instance; an extra request now and then shifts the rotation.
      const before = servedBy("/dashboard");
      const loadsPerInstance = () => servedBy("/dashboard").map((count, index) => count - before[index]!);
      for (let load = 0; load < 12 && !loadsPerInstance().every((count) => count >= 2); load++) {
        await page.goto("/dashboard");
        expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(account.global_name);
        if (load % 2 === 1) await page.request.get("/favicon.svg");
      }
      expect(
        loadsPerInstance().every((count) => count >= 2),
        `page loads per instance: ${loadsPerInstance().join(", ")}`,
      ).toBe(true);

      await page.goto("/servers");
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Your servers");
      expect(
        await page
          .getByRole("listitem")
          .filter({ hasText: `${account.username.split(".")[0]} headquarters` })
          .count(),
      ).toBe(1);

      // The sessions page shows where the browser connected from (127.0.0.1), read from
      // X-Forwarded-For, not the proxy's address (::1).
      await page.goto("/sessions");
      const details = await page.locator(".session.card .muted").first().textContent();
      expect(details).toContain("IP 127.0.0.1");
      expect(await page.content()).not.toContain("::1");
      mkdirSync("test-results/deploy", { recursive: true });
      await page.screenshot({ path: `test-results/deploy/sessions-${javaScriptEnabled ? "js" : "no-js"}.png` });
      report.push(`${mode}: /sessions reads "${details?.replace(/\s+/g, " ").trim()}"`);
    } finally {
      await context.close();
    }
  }, 60_000);

  it("ends a session from another browser, on whichever instance, and every instance refuses it", async () => {
    const account = await newAccount(javaScriptEnabled ? "endjs" : "endnojs");
    const first = await newContext(javaScriptEnabled);
    const second = await newContext(javaScriptEnabled);
    try {
      const firstPage = await first.newPage();
      await logIn(firstPage, account.username);
      const [firstCookie] = await first.cookies(deployment.appUrl);
      const secondPage = await second.newPage();
      await logIn(secondPage, account.username);

      // The second browser ends the first one's session; the instance that serves the
      // POST is the one the proxy picks.
      const endsBefore = servedBy("/sessions/end");
      await secondPage.goto("/sessions");
      await secondPage.getByRole("button", { name: /^End session:/ }).click();
      await expect
        .poll(() => secondPage.getByRole("button", { name: /^End session:/ }).count(), { timeout: 10_000 })
        .toBe(0);
      const endedOn = servedBy("/sessions/end").findIndex((count, index) => count > endsBefore[index]!);
      expect(
        endedOn,
        `POST /sessions/end on no instance: ${JSON.stringify(deployment.instances.map((instance) => instance.requests().slice(-8)))}`,
      ).toBeGreaterThanOrEqual(0);

      // Asked directly, around the proxy, no instance accepts the ended session: the one
      // that ended it and the other, which heard of it through Postgres.
      for (const instance of deployment.instances) {
        const response = await fetch(`${instance.url}/api/auth/user`, {
          headers: { Cookie: `${firstCookie!.name}=${firstCookie!.value}` },
        });
        expect(response.status, `instance on port ${instance.port}`).toBe(401);
      }
      await firstPage.goto("/dashboard");
      expect(new URL(firstPage.url()).pathname).toBe("/login");

      // Logging out of the second browser: a form POST, with or without JavaScript.
      await secondPage.goto("/dashboard");
      await secondPage.getByRole("button", { name: "Log out" }).first().click();
      await secondPage.waitForURL(`${deployment.appUrl}/`);
      expect(await secondPage.getByRole("status").textContent()).toContain("You have logged out.");
      expect(await second.cookies(deployment.appUrl)).toEqual([]);
      await secondPage.goto("/dashboard");
      expect(new URL(secondPage.url()).pathname).toBe("/login");
    } finally {
      await first.close();
      await second.close();
    }
  }, 60_000);
});

describe("operating it", () => {
  it("restarts each instance with SIGTERM under a steady stream of requests: none fails, none is a 502", async () => {
    const account = await newAccount("rolling");
    const context = await newContext(true);
    let cookie: string;
    try {
      await logIn(await context.newPage(), account.username);
      const [session] = await context.cookies(deployment.appUrl);
      cookie = `${session!.name}=${session!.value}`;
    } finally {
      await context.close();
    }

    const statuses = new Map<number, number>();
    const failures: string[] = [];
    let sent = 0;
    let streaming = true;
    const paths = ["/", "/dashboard", "/api/auth/user"];
    const before = deployment.instances.map((instance) => instance.requests().length);
    // Eight clients, each sending its next request as soon as the last is answered.
    const stream = Promise.all(
      Array.from({ length: 8 }, async (_, client) => {
        for (let turn = 0; streaming; turn++) {
          const pathname = paths[(client + turn) % paths.length]!;
          sent += 1;
          try {
            const response = await deployment.get(pathname, { Cookie: cookie });
            statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
            if (response.status !== 200) failures.push(`${pathname}: ${response.status}`);
          } catch (error) {
            failures.push(`${pathname}: ${(error as Error).message}`);
          }
        }
      }),
    );

    const served = () => deployment.instances.map((instance, index) => instance.requests().length - before[index]!);
    // The stream has reached both instances before the first is stopped.
    await vi.waitFor(() => expect(served().every((count) => count > 0)).toBe(true), { timeout: 10_000 });
    const restarts: string[] = [];
    for (const instance of deployment.instances) {
      const stopping = Date.now();
      const sentBefore = sent;
      const code = await instance.stop();
      const stoppedMs = Date.now() - stopping;
      await instance.start();
      const sentWhileRestarting = sent - sentBefore;
      const servedAtStart = instance.requests().length;
      // Caddy's health check (every second) brings it back into rotation: it serves the stream again.
      await vi.waitFor(() => expect(instance.requests().length).toBeGreaterThan(servedAtStart), { timeout: 10_000 });
      restarts.push(
        `port ${instance.port}: exit ${code} ${stoppedMs} ms after SIGTERM, healthy again after ${Date.now() - stopping} ms, ` +
          `${sentWhileRestarting} requests sent meanwhile`,
      );
      expect(code).toBe(0);
      expect(sentWhileRestarting, "the stream went on while the instance restarted").toBeGreaterThan(0);
    }
    streaming = false;
    await stream;
    report.push(
      `rolling restart: ${sent} requests through Caddy, ${failures.length} failed, statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
      ...restarts.map((line) => `  ${line}`),
      `  served per instance across the restarts: ${served().join(", ")} (instances started ${deployment.instances.map((instance) => instance.starts).join(", ")} times)`,
    );
    expect(failures).toEqual([]);
    expect(statuses.get(502) ?? 0).toBe(0);
  }, 120_000);

  // Needs a Postgres server, as production does: a revocation holds its token row while
  // Discord answers, and the embedded Postgres runs one transaction at a time, so there
  // the four would reach Discord one after another, never together.
  it.skipIf(!testServerUrl())(
    "stops an instance as systemd does, every process at once, while POSTs wait on Discord: each is answered and Discord told",
    async () => {
      // Four people revoke their access at the same moment; Discord takes 3 s to answer each.
      const accounts = await Promise.all([1, 2, 3, 4].map((n) => newAccount(`sysstop${n}`)));
      const cookies: string[] = [];
      for (const account of accounts) {
        const context = await newContext(true);
        try {
          await logIn(await context.newPage(), account.username);
          const [session] = await context.cookies(deployment.appUrl);
          cookies.push(`${session!.name}=${session!.value}`);
        } finally {
          await context.close();
        }
      }
      // Held long enough that all four are at Discord together even when a loaded machine
      // spreads their arrival over seconds.
      await control("/faults", { route: "revoke", count: accounts.length, delay_ms: 8_000 });
      const form = { Origin: deployment.appUrl, "Content-Type": "application/x-www-form-urlencoded" };
      const settledEarly: string[] = [];
      const sending = Date.now();
      const posts = cookies.map((cookie) =>
        deployment.request("POST", "/revoke", { ...form, Cookie: cookie }, "").then(
          (answer) => {
            settledEarly.push(`${answer.status} ${String(answer.headers.location)}`);
            return answer;
          },
          (error: Error) => {
            settledEarly.push(error.message);
            return error;
          },
        ),
      );
      // Every one has reached Discord (round robin: two through each instance)…
      await vi.waitFor(
        async () => {
          expect(settledEarly, "answered before Discord held them all").toEqual([]);
          expect(await inFlightOn(deployment.emulator, "revoke")).toBe(accounts.length);
        },
        { timeout: 20_000, interval: 100 },
      );
      const arrivalMs = Date.now() - sending;
      // …when `systemctl stop` signals the launcher and the app of the first instance at once.
      const [stopped] = deployment.instances;
      const answeredBefore = servedBy("/revoke")[0]!;
      const stopping = Date.now();
      const code = await stopped!.stopAsSystemd();
      const stoppedMs = Date.now() - stopping;
      const answers = await Promise.all(posts);

      const outcomes = answers.map((answer) =>
        answer instanceof Error ? answer.message : `${answer.status} ${String(answer.headers.location)}`,
      );
      expect(outcomes).toEqual(accounts.map(() => "302 /"));
      expect(code).toBe(0);
      // The stopped instance answered its share before it exited.
      expect(servedBy("/revoke")[0]! - answeredBefore).toBeGreaterThan(0);
      for (const account of accounts) {
        const tokens = await issuedTokens(deployment.emulator, account.id);
        expect(tokens.length).toBeGreaterThan(0);
        expect(tokens.every((token) => token.status === "revoked")).toBe(true);
      }
      report.push(
        `systemd-style stop (SIGTERM to launcher and app at once) with ${accounts.length} POST /revoke waiting on Discord: ` +
          `all at Discord ${arrivalMs} ms after sending, exit ${code} after ${stoppedMs} ms, answers ${outcomes.join(", ")}, every grant revoked at Discord`,
      );

      await stopped!.start();
      const servedAtStart = stopped!.requests().length;
      await vi.waitFor(
        async () => {
          await deployment.get("/login");
          expect(stopped!.requests().length).toBeGreaterThan(servedAtStart);
        },
        { timeout: 10_000, interval: 250 },
      );
    },
    120_000,
  );

  it("shows the documented notice when Discord fails during a token refresh, never a proxy error", async () => {
    const account = await newAccount("refresh");
    const context = await newContext(false);
    try {
      const page = await context.newPage();
      await logIn(page, account.username);
      // The stored access token has expired, and Discord's token endpoint is down.
      await deployment.database.db
        .updateTable("discord_tokens")
        .set({ access_token_expires_at: new Date(Date.now() - 60_000) })
        .where("user_id", "in", (eb) => eb.selectFrom("users").select("id").where("discord_id", "=", account.id))
        .execute();
      await control("/faults", { route: "token", status: 503, count: 5 });
      const response = await page.goto("/servers");
      expect(response!.status()).toBe(200);
      await expect.poll(() => page.getByRole("alert").textContent()).toContain("Discord is not answering right now.");
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Your servers");
    } finally {
      await emulatorControl(deployment.emulator, "DELETE", "/faults");
      await context.close();
    }
  }, 60_000);

  it("keeps /healthz to the load balancer, and gives every request an id of its own", async () => {
    const health = await deployment.get("/healthz");
    expect(health.status).toBe(404);
    for (const instance of deployment.instances) {
      expect((await fetch(`${instance.url}/healthz`)).status, `instance on port ${instance.port}`).toBe(200);
    }
    const page = await deployment.get("/login", { "X-Request-Id": "chosen-by-the-client-0001" });
    expect(page.status).toBe(200);
    expect(page.headers["x-request-id"]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    report.push(`/healthz through Caddy: ${health.status}; X-Request-Id: ${String(page.headers["x-request-id"])}`);
  });

  it("keeps browsers on https with every answer: pages, redirects, files, refusals and Caddy's own", async () => {
    const form = { "Content-Type": "application/x-www-form-urlencoded" };
    const answers = {
      "page /login": await deployment.get("/login"),
      "redirect /dashboard (no session)": await deployment.get("/dashboard"),
      "file /favicon.svg": await deployment.get("/favicon.svg"),
      "resource /api/auth/user (no session)": await deployment.get("/api/auth/user"),
      "refusal of a cross-site POST /logout": await deployment.request(
        "POST",
        "/logout",
        { ...form, Origin: "https://elsewhere.example" },
        "",
      ),
      "Caddy's 404 for /healthz": await deployment.get("/healthz"),
      "an unknown address": await deployment.get("/no-such-page"),
    };
    const seen = Object.entries(answers).map(
      ([what, answer]) => `${what}: ${answer.status} ${String(answer.headers["strict-transport-security"])}`,
    );
    expect(seen).toEqual(Object.entries(answers).map(([what, answer]) => `${what}: ${answer.status} max-age=31536000`));
    expect(answers["redirect /dashboard (no session)"].status).toBe(302);
    expect(answers["refusal of a cross-site POST /logout"].status).toBe(403);
    // Around the proxy too: what an instance sends itself.
    const direct = await fetch(`${deployment.instances[0]!.url}/healthz`);
    expect(direct.headers.get("strict-transport-security")).toBe("max-age=31536000");
    report.push(`Strict-Transport-Security on: ${seen.join("; ")}`);
  });

  it("keeps OAuth codes out of the proxy's access log, and counts what crossed each instance", () => {
    const callbacks = deployment.instances.flatMap((instance) =>
      instance.requests().filter((entry) => entry.path === "/auth/discord/callback"),
    );
    expect(callbacks.length).toBeGreaterThan(0);
    const caddyLog = deployment.caddyOutput();
    expect(caddyLog).toContain("/auth/discord/callback");
    expect(caddyLog).not.toMatch(/[?&]code=/);
    expect(caddyLog).not.toMatch(/[?&]state=/);
    report.push(
      `requests per instance (health checks aside): ${deployment.instances
        .map((instance) => `port ${instance.port}: ${instance.requests().length}`)
        .join(", ")}`,
    );
  });
});
