import { expect, test } from "@playwright/test";
import { createAccount, deauthorizeOnDiscord, emulatorUrl, issuedTokens, logInFromHere } from "./support";

test("the servers page lists your servers with their details", async ({ page }) => {
  await page.goto("/login");
  await logInFromHere(page, "nova");
  await page.getByRole("link", { name: "Servers" }).click();
  await expect(page).toHaveURL(/\/servers$/);
  await expect(page.getByRole("heading", { level: 1, name: "Your servers" })).toBeVisible();
  const owned = page.getByRole("listitem").filter({ hasText: "Owner" }).first();
  await expect(owned).toBeVisible();
  await expect(owned).toContainText(/members/);
});

test("revoke access from the dashboard and land logged out with a message", async ({ page }) => {
  const account = await createAccount("revoke");
  await page.goto("/");
  await logInFromHere(page, account.username);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.getByRole("button", { name: "Revoke Discord access" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("status").filter({ hasText: "You revoked this app's access" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Log in with Discord" })).toBeVisible();
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/login\?returnTo=%2Fdashboard$/);
  // Discord agrees: none of the tokens it issued works any more.
  const tokens = await issuedTokens(account.username);
  expect(tokens.length).toBeGreaterThan(0);
  for (const token of tokens) {
    const response = await fetch(`${emulatorUrl}/api/v10/users/@me`, { headers: { Authorization: `Bearer ${token}` } });
    expect(response.status).toBe(401);
  }
});

test("removing the app on Discord's side sends the person to log in at their next page load", async ({ page }) => {
  const account = await createAccount("deauth");
  await page.goto("/");
  await logInFromHere(page, account.username);
  await expect(page).toHaveURL(/\/dashboard$/);
  const report = await deauthorizeOnDiscord(account.id);
  expect(report.webhook.event.status).toBe(204);
  await page.reload();
  await expect(page).toHaveURL(/\/login\?returnTo=%2Fdashboard$/);
  await expect(page.getByRole("status").filter({ hasText: "Your session has ended" })).toBeVisible();
});

test("end another session from the sessions page", async ({ page, browser }) => {
  const account = await createAccount("sessions");
  const elsewhere = await browser.newContext({ javaScriptEnabled: test.info().project.use.javaScriptEnabled });
  const otherPage = await elsewhere.newPage();
  try {
    await otherPage.goto("/");
    await logInFromHere(otherPage, account.username);
    await expect(otherPage).toHaveURL(/\/dashboard$/);

    await page.goto("/");
    await logInFromHere(page, account.username);
    await page.getByRole("link", { name: "Sessions", exact: true }).click();
    await expect(page.getByText("This browser")).toBeVisible();
    await expect(page.getByRole("listitem")).toHaveCount(2);
    await page.getByRole("button", { name: /^End session/ }).click();
    await expect(page.getByRole("status").filter({ hasText: "Session ended." })).toBeVisible();
    await expect(page.getByRole("listitem")).toHaveCount(1);

    await otherPage.reload();
    await expect(otherPage).toHaveURL(/\/login\?returnTo=%2Fdashboard$/);
  } finally {
    await elsewhere.close();
  }
});

test("delete your account after confirming", async ({ page }) => {
  const account = await createAccount("delete");
  await page.goto("/");
  await logInFromHere(page, account.username);
  await page.getByRole("link", { name: "Delete my account…" }).click();
  await expect(page.getByRole("heading", { name: "Delete your account" })).toBeVisible();
  await page.getByRole("checkbox", { name: /I understand/ }).check();
  await page.getByRole("button", { name: "Delete my account" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(
    page.getByRole("status").filter({ hasText: "Your account and everything stored about it have been deleted." }),
  ).toBeVisible();
});
