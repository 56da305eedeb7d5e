import { expect, test } from "@playwright/test";
import { testServerUrl } from "../support/test-database";

test("the home page renders on the server with its layout and styles", async ({ page }) => {
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page).toHaveTitle("Remix Discord Login");
  await expect(page.getByRole("heading", { level: 1, name: "Remix Discord Login" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Log in with Discord" })).toBeVisible();
  // The emulator is in use, and the page says so.
  await expect(page.getByRole("status").filter({ hasText: "Discord emulator in use" })).toBeVisible();
  // The stylesheet loaded: the login button wears Discord's colour.
  await expect(page.getByRole("button", { name: "Log in with Discord" })).toHaveCSS(
    "background-color",
    "rgb(88, 101, 242)",
  );
});

test("/healthz reports the app and its database healthy", async ({ request }) => {
  // The session cache goes live once the instance hears session changes, which takes a
  // Postgres server; on the embedded one, whose notifications do not cross connections,
  // it stays bypassed (tests/e2e/global-setup.ts picks the database the same way).
  // eslint-disable-next-line playwright/no-conditional-in-test -- what to expect depends on the run's database, not on the page
  const sessionCache = testServerUrl() ? "live" : "bypassed";
  await expect
    .poll(async () => (await request.get("/healthz")).json())
    .toEqual({ status: "ok", database: "ok", session_cache: sessionCache });
  const response = await request.get("/healthz");
  expect(response.status()).toBe(200);
  expect(response.headers()["cache-control"]).toBe("no-store");
});

test("an unknown address gets a clear 404 page with a way back", async ({ page }) => {
  const response = await page.goto("/no/such/page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await page.getByRole("link", { name: "Go to the home page" }).click();
  await expect(page).toHaveURL(/\/$/);
});
