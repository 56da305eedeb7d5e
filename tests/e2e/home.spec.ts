import { expect, test } from "@playwright/test";

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
  const response = await request.get("/healthz");
  expect(response.status()).toBe(200);
  expect(response.headers()["cache-control"]).toBe("no-store");
  const body = await response.json();
  expect(body).toEqual({ status: "ok", database: "ok", session_cache: body.session_cache });
  // "live" once the instance hears session changes; "bypassed" on the embedded Postgres,
  // whose notifications do not cross connections.
  expect(["live", "bypassed"]).toContain(body.session_cache);
});

test("an unknown address gets a clear 404 page with a way back", async ({ page }) => {
  const response = await page.goto("/no/such/page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await page.getByRole("link", { name: "Go to the home page" }).click();
  await expect(page).toHaveURL(/\/$/);
});
