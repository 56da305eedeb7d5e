import { expect, test } from "@playwright/test";
import { startEmulator, type RunningEmulator } from "../../emulator/server";
import { deploymentEnv, freePort, logInOverHttp, startAppInstance, type AppInstance } from "../support/app-instances";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import { expectAccessible } from "./axe";
import { createAccount, emulatorUrl, logInFromHere } from "./support";
import { parseSetCookie } from "../support/set-cookie";

// axe-core at WCAG 2.1 AA on every page a person can reach, in light and dark, with
// JavaScript on and off (the two projects). Each page's violations are listed by rule and
// element, so a failure says what to fix.

// Each test runs axe on several pages in two colour schemes, a few seconds per analysis on
// two busy cores: more than the 30 s a single-page test is given.
test.describe.configure({ timeout: 120_000 });

test("the public pages: home, login, Discord's consent page, 404", async ({ page }) => {
  await page.goto("/");
  await expectAccessible(page, "home");
  // Hover colours are checked too: axe reads the styles as they are at that moment.
  await expectAccessible(page, "home, login button hovered", (target) =>
    target.getByRole("button", { name: "Log in with Discord" }).hover(),
  );
  await page.goto("/login");
  await expectAccessible(page, "login");
  await page.getByRole("button", { name: "Log in with Discord" }).click();
  await expect(page).toHaveURL(new RegExp(`^${emulatorUrl}/oauth2/authorize`));
  await expectAccessible(page, "consent (emulator)");
  await page.goto("/no/such/page");
  await expectAccessible(page, "404");
});

test("the signed-in pages: dashboard, servers, sessions, delete confirmation, a notice", async ({ page }) => {
  const account = await createAccount("a11y");
  await page.goto("/login");
  await logInFromHere(page, account.username);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expectAccessible(page, "dashboard");
  await page.goto("/servers");
  await expectAccessible(page, "servers");
  await page.goto("/sessions");
  await expectAccessible(page, "sessions");
  await page.goto("/account/delete");
  await expectAccessible(page, "delete confirmation");
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.getByRole("status").filter({ hasText: "You have logged out." })).toBeVisible();
  await expectAccessible(page, "home with a notice");
});

test.describe("error pages that need a deployment of their own", () => {
  // A low login limit (for the 429) and a database that can be cut (for the 503).
  let database: TestDatabase;
  let proxy: TcpProxy;
  let emulator: RunningEmulator;
  let app: AppInstance;

  test.beforeAll(async () => {
    database = await createTestDatabase();
    const real = new URL(database.url);
    proxy = await startTcpProxy({ host: real.hostname, port: Number(real.port || 5432) });
    const throughProxy = new URL(database.url);
    throughProxy.host = `127.0.0.1:${proxy.port}`;
    const port = await freePort();
    const appUrl = `http://127.0.0.1:${port}`;
    emulator = await startEmulator({ port: 0, redirectUris: [`${appUrl}/auth/discord/callback`] });
    const env = deploymentEnv({ appUrl, databaseUrl: throughProxy.toString(), emulator });
    app = await startAppInstance(port, { ...env, RATE_LIMIT_LOGINS_PER_MINUTE: "1" });
  });

  test.afterAll(async () => {
    await app?.stop();
    await emulator?.close();
    await proxy?.close();
    await database?.destroy();
  });

  test("429 and 503", async ({ page }) => {
    // Logged in first, while the one login a minute is still allowed.
    const { cookie } = await logInOverHttp(app.url, emulator, (await createAccount("errors", emulator.url)).id);
    // One login callback a minute is allowed per client address: used up at once, then the
    // page shows the refusal.
    const callback = `${app.url}/auth/discord/callback?state=x&code=y`;
    await expect
      .poll(async () => (await page.request.get(callback, { maxRedirects: 0 })).status(), { intervals: [0] })
      .toBe(429);
    expect((await page.goto(callback))!.status()).toBe(429);
    await expectAccessible(page, "429");

    const { name, value } = parseSetCookie(cookie);
    await page.context().addCookies([{ name, value, url: app.url }]);
    proxy.cut();
    try {
      // The session may be served from memory for up to a second after the cut (ADR 010).
      await expect.poll(async () => (await page.goto(`${app.url}/dashboard`))!.status(), { timeout: 5_000 }).toBe(503);
      await expectAccessible(page, "503");
    } finally {
      proxy.restore();
    }
  });
});
