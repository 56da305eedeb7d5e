import { expect, test, type Page } from "@playwright/test";
import { issuedTokens } from "../../emulator/testing/harness";
import { EMULATOR_HQ_INVITE_CODE, seededGuildId, seededRoleId } from "../../emulator/testing/seeded";
import { expectAccessible } from "./axe";
import { control as emulatorControl, createAccount, logInFromHere, useOwnApp } from "./support";

const HQ = seededGuildId("Emulator HQ");
const MODERATOR = seededRoleId("Emulator HQ", "Moderator");

test.describe.configure({ mode: "serial", timeout: 120_000 });

/**
 * A second app, started as `npm start` starts it, admitting only Emulator HQ's moderators
 * and checking again every 6 seconds (ACCESS_RECHECK_MINUTES=0.1), so a re-check happens
 * while the test watches. It has its own emulator: the tests here change roles and inject
 * faults, which must not reach the other specs.
 */
const own = useOwnApp((emulatorPort) => ({
  ACCESS_GUILD_IDS: HQ,
  ACCESS_ROLE_IDS: `${MODERATOR}=Moderator`,
  ACCESS_RECHECK_MINUTES: "0.1",
  ACCESS_INVITE_URL: `http://127.0.0.1:${emulatorPort}/invite/${EMULATOR_HQ_INVITE_CODE}`,
}));

/** This spec's own emulator's control API. */
const control = (method: string, path: string, body?: unknown) =>
  emulatorControl(method, path, body, own.app.emulatorUrl);

/** A fresh account, made a member of Emulator HQ holding `roles`, or no member at all. */
async function person(purpose: string, roles: string[] | null): Promise<{ id: string; username: string }> {
  const account = await createAccount(purpose, own.app.emulatorUrl);
  if (roles) await control("PUT", `/guilds/${HQ}/members/${account.id}`, { roles });
  return account;
}

async function logIn(page: Page, username: string) {
  await page.goto(`${own.app.appUrl}/login`);
  await expect(page.getByText("Only members of Emulator HQ holding Moderator can sign in")).toBeVisible();
  await logInFromHere(page, username, own.app.emulatorUrl);
}

/** Reloads the dashboard until `done` (a re-check is due every 6 seconds), for at most 30 s. */
async function reloadUntil(page: Page, done: () => Promise<boolean>) {
  await expect(async () => {
    await page.goto(`${own.app.appUrl}/dashboard`);
    expect(await done()).toBe(true);
  }).toPass({ intervals: [1_000], timeout: 30_000 });
}

test("a moderator gets in, and the dashboard says which rule they pass", async ({ page }) => {
  const moderator = await person("moderator", [MODERATOR]);
  await logIn(page, moderator.username);
  await expect(page).toHaveURL(/\/dashboard$/);
  const membership = page.getByRole("region", { name: "Your membership" });
  await expect(membership).toContainText("You are in as Moderator");
  await expect(membership).toContainText("Emulator HQ");
  await page.getByRole("link", { name: "Servers" }).click();
  const required = page.getByRole("listitem").filter({ hasText: "Required to sign in" });
  await expect(required).toHaveCount(1);
  await expect(required).toContainText("Emulator HQ");
  await expectAccessible(page, "servers, required server marked");
  await page.goto(`${own.app.appUrl}/dashboard`);
  await expectAccessible(page, "dashboard with membership");
});

test("a non-member sees the refusal page; nothing is stored and the grant is revoked", async ({ page }) => {
  const stranger = await person("stranger", null);
  await logIn(page, stranger.username);
  await expect(page).toHaveURL(/\/access-refused\?reason=not_member$/);
  await expect(page.getByRole("heading", { level: 1, name: "Members only" })).toBeVisible();
  await expect(page.getByText("is not a member of the server this site requires")).toBeVisible();
  const server = page.getByRole("listitem").filter({ hasText: "Emulator HQ" });
  await expect(server.locator("img")).toHaveAttribute("src", new RegExp(`/icons/${HQ}/`));
  await expect(page.getByRole("link", { name: "Join the server on Discord" })).toHaveAttribute(
    "href",
    `${own.app.emulatorUrl}/invite/${EMULATOR_HQ_INVITE_CODE}`,
  );
  await expect(page.getByRole("button", { name: "Log in with Discord" })).toBeVisible();
  await page.screenshot({ path: `test-results/e2e/refusal-${test.info().project.name}.png`, fullPage: true });
  await expectAccessible(page, "refusal");

  expect((await page.context().cookies()).map((cookie) => cookie.name)).not.toContain("session");
  const tokens = await issuedTokens({ url: own.app.emulatorUrl }, stranger.id);
  expect(tokens.length).toBeGreaterThan(0);
  for (const { token } of tokens) {
    const response = await fetch(`${own.app.emulatorUrl}/api/v10/users/@me`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(401);
  }
  const stored = await own.database.db.selectFrom("users").select("id").where("discord_id", "=", stranger.id).execute();
  expect(stored).toEqual([]);
});

test("a role removed on Discord ends the session at the next re-check", async ({ page }) => {
  const moderator = await person("demoted", [MODERATOR]);
  await logIn(page, moderator.username);
  await expect(page).toHaveURL(/\/dashboard$/);
  await control("DELETE", `/guilds/${HQ}/members/${moderator.id}/roles/${MODERATOR}`);

  await reloadUntil(page, async () => page.url().includes("/access-refused"));
  await expect(page).toHaveURL(/\/access-refused\?reason=role_removed$/);
  await expect(page.getByRole("heading", { level: 1, name: "You have been signed out" })).toBeVisible();
  await expect(page.getByText("no longer holds a role this site requires")).toBeVisible();
  await page.goto(`${own.app.appUrl}/dashboard`);
  await expect(page).toHaveURL(/\/login\?returnTo=%2Fdashboard$/);
});

test("a person whose access ended sees what is kept, and deletes it without a session", async ({ page }) => {
  const moderator = await person("leaving", [MODERATOR]);
  await logIn(page, moderator.username);
  await expect(page).toHaveURL(/\/dashboard$/);
  await control("DELETE", `/guilds/${HQ}/members/${moderator.id}/roles/${MODERATOR}`);
  await reloadUntil(page, async () => page.url().includes("/access-refused"));

  const kept = page.getByRole("region", { name: /still keeps/ });
  await expect(kept).toContainText(`@${moderator.username}`);
  await expect(kept).toContainText("the outcome of the last check of your server membership");
  await expectAccessible(page, "refusal, with what is kept");
  await kept.getByRole("checkbox", { name: "I understand: delete what is kept" }).check();
  await kept.getByRole("button", { name: "Delete what is kept" }).click();
  await expect(page).toHaveURL(`${own.app.appUrl}/`);
  await expect(page.getByText("Everything kept here about your account has been deleted.")).toBeVisible();
  const stored = await own.database.db
    .selectFrom("users")
    .select("id")
    .where("discord_id", "=", moderator.id)
    .execute();
  expect(stored).toEqual([]);
});

test("Discord failing during a re-check keeps the person in, within the grace period", async ({ page }) => {
  const moderator = await person("steady", [MODERATOR]);
  await logIn(page, moderator.username);
  await expect(page).toHaveURL(/\/dashboard$/);
  await control("POST", "/faults", { route: "guild_member", count: 1000, status: 503 });
  try {
    const waiting = page.getByText("Discord has not been able to confirm your membership");
    await reloadUntil(page, () => waiting.isVisible());
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(waiting).toContainText("You stay signed in for up to 60 more minutes");
    await expectAccessible(page, "dashboard while Discord cannot confirm");
  } finally {
    await control("DELETE", "/faults");
  }
  // Discord is back: the next check confirms the membership again.
  await reloadUntil(page, () => page.getByText(/Confirmed by Discord/).isVisible());
});
