import { expect, test } from "@playwright/test";
import { answerConsent, issuedTokens, logInFromHere } from "./support";

test("log in through Discord's consent page and see your profile", async ({ page }) => {
  await page.goto("/");
  await logInFromHere(page, "nova");
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { level: 1, name: "Nova Quinn" })).toBeVisible();
  await expect(page.getByText("@nova", { exact: true })).toBeVisible();
  await expect(page.getByText("nova@example.com")).toBeVisible();
  await expect(page.getByText("Verified", { exact: true })).toBeVisible();
  // The avatar is a real image served by the (emulated) CDN.
  const avatar = page.getByRole("img", { name: "Avatar of Nova Quinn" });
  await expect(avatar).toHaveJSProperty("complete", true);
  expect(await avatar.evaluate((image: HTMLImageElement) => image.naturalWidth)).toBeGreaterThan(0);
});

test("an unverified email is shown as such", async ({ page }) => {
  await page.goto("/login");
  await logInFromHere(page, "ursa.minor");
  await expect(page.getByText("ursa@example.org")).toBeVisible();
  await expect(page.getByText("Not verified")).toBeVisible();
});

test("cancelling on Discord explains what happened and offers to try again", async ({ page }) => {
  await page.goto("/login");
  await page.getByRole("button", { name: "Log in with Discord" }).click();
  await answerConsent(page, "nova", "Cancel");
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole("status").filter({ hasText: "You cancelled the login on Discord" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Log in with Discord" })).toBeEnabled();
});

test("a deep link to a protected page comes back there after login", async ({ page }) => {
  await page.goto("/dashboard?tab=profile");
  await expect(page).toHaveURL(/\/login\?returnTo=%2Fdashboard%3Ftab%3Dprofile$/);
  await logInFromHere(page, "pixelpine");
  await expect(page).toHaveURL(/\/dashboard\?tab=profile$/);
  await expect(page.getByRole("heading", { level: 1, name: "Pixel Pine" })).toBeVisible();
});

test("log out ends the session", async ({ page }) => {
  await page.goto("/");
  await logInFromHere(page, "legacyfox");
  await expect(page.getByText("@legacyfox#4821")).toBeVisible();
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("status").filter({ hasText: "You have logged out." })).toBeVisible();
  // A one-shot notice: the cookie that carried it was cleared with the page.
  await page.reload();
  await expect(page.getByRole("status").filter({ hasText: "You have logged out." })).toHaveCount(0);
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/login\?returnTo=%2Fdashboard$/);
});

test("no page ever contains a Discord token", async ({ page, request }) => {
  await page.goto("/");
  await logInFromHere(page, "quietfern");
  await expect(page).toHaveURL(/\/dashboard$/);
  const pages = [await page.content()];
  for (const path of ["/", "/dashboard", "/api/auth/user"]) {
    await page.goto(path);
    pages.push(await page.content());
  }
  const tokens = await issuedTokens("quietfern");
  expect(tokens.length).toBeGreaterThanOrEqual(2);
  for (const html of pages) {
    for (const token of tokens) expect(html).not.toContain(token);
  }
  // The signed-out JSON API answers 401 (a request without the page's cookie).
  expect((await request.get("/api/auth/user", { headers: { Cookie: "" } })).status()).toBe(401);
});
