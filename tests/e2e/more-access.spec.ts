import { expect, test, type Page } from "@playwright/test";
import { expectAccessible } from "./axe";
import { answerConsent, createAccount, useOwnApp } from "./support";

test.describe.configure({ mode: "serial", timeout: 60_000 });

/**
 * A second app, started as `npm start` starts it, that logs in with `identify email` only:
 * the servers page asks for the server list when opened. Its own emulator, so the
 * accounts' grants here are this spec's alone.
 */
const own = useOwnApp({ DISCORD_SCOPES: "identify email" });

async function storedScopes(discordId: string): Promise<string | undefined> {
  const row = await own.database.db
    .selectFrom("discord_tokens")
    .innerJoin("users", "users.id", "discord_tokens.user_id")
    .select("discord_tokens.scopes")
    .where("users.discord_id", "=", discordId)
    .executeTakeFirst();
  return row?.scopes;
}

async function logIn(page: Page, username: string) {
  await page.goto(`${own.app.appUrl}/login`);
  await expect(
    page.getByText("Discord will ask you to allow access to your username and avatar and your email"),
  ).toBeVisible();
  await page.getByRole("button", { name: "Log in with Discord" }).click();
  await answerConsent(page, username, "Authorize", own.app.emulatorUrl);
  await expect(page).toHaveURL(`${own.app.appUrl}/dashboard`);
}

test("the servers page asks for the server list, and gets it without a new session", async ({ page }) => {
  const person = await createAccount("share", own.app.emulatorUrl);
  await logIn(page, person.username);
  const sessionBefore = (await page.context().cookies(own.app.appUrl)).find((cookie) => cookie.name === "session");

  await page.goto(`${own.app.appUrl}/servers`);
  const ask = page.getByRole("region", { name: "Share your server list" });
  await expect(ask).toContainText("Discord will ask you to let");
  await expectAccessible(page, "servers, asking for the server list");
  await ask.getByRole("button", { name: "Share your server list" }).click();

  // Discord's screen names the new scope among those asked; the person is the same.
  await expect(page).toHaveURL(new RegExp(`^${own.app.emulatorUrl}/oauth2/authorize`));
  await expect(page.getByText("Know what servers you're in")).toBeVisible();
  await answerConsent(page, person.username, "Authorize", own.app.emulatorUrl);

  await expect(page).toHaveURL(`${own.app.appUrl}/servers`);
  await expect(page.getByText("Done: Discord now shares what this page needs.")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: "Your servers" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Share your server list" })).toHaveCount(0);
  const sessionAfter = (await page.context().cookies(own.app.appUrl)).find((cookie) => cookie.name === "session");
  expect(sessionAfter?.value).toBe(sessionBefore?.value);
  expect(await storedScopes(person.id)).toBe("identify email guilds");

  // Logged out and in again: the login asks for the server list too, and Discord, which
  // was given it before, shows no screen. Nothing is taken back.
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(`${own.app.appUrl}/`);
  await page.goto(`${own.app.appUrl}/login`);
  await expect(page.getByText("your email address and the list of your servers")).toBeVisible();
  await page.getByRole("button", { name: "Log in with Discord" }).click();
  await expect(page).toHaveURL(`${own.app.appUrl}/dashboard`);
  await page.goto(`${own.app.appUrl}/servers`);
  await expect(page.getByRole("heading", { level: 1, name: "Your servers" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Share your server list" })).toHaveCount(0);
  expect(await storedScopes(person.id)).toBe("identify email guilds");
});

test("cancelling on Discord keeps the person signed in, with nothing more shared", async ({ page }) => {
  const person = await createAccount("decline", own.app.emulatorUrl);
  await logIn(page, person.username);
  await page.goto(`${own.app.appUrl}/servers`);
  await page.getByRole("button", { name: "Share your server list" }).click();
  await answerConsent(page, person.username, "Cancel", own.app.emulatorUrl);
  await expect(page).toHaveURL(`${own.app.appUrl}/servers`);
  await expect(page.getByText("You cancelled on Discord, so nothing more was shared.")).toBeVisible();
  await expect(page.getByRole("region", { name: "Share your server list" })).toBeVisible();
  expect(await storedScopes(person.id)).toBe("identify email");
});

test("a person who returns skips Discord's screen; another account is a button away", async ({ page }) => {
  const person = await createAccount("returning", own.app.emulatorUrl);
  await logIn(page, person.username);
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(`${own.app.appUrl}/`);

  // prompt=none: Discord (here, the emulator's remembered account) answers at once.
  const screens: string[] = [];
  page.on("request", (request) => {
    if (request.isNavigationRequest() && request.url().startsWith(`${own.app.emulatorUrl}/oauth2/authorize`))
      screens.push(new URL(request.url()).searchParams.get("prompt") ?? "");
  });
  await page.goto(`${own.app.appUrl}/login`);
  await page.getByRole("button", { name: "Log in with Discord" }).click();
  await expect(page).toHaveURL(`${own.app.appUrl}/dashboard`);
  expect(screens).toEqual(["none"]);

  await page.getByRole("button", { name: "Log out" }).click();
  // Logged out before the login page is asked for: with JavaScript the logout is a fetch,
  // and a login page loaded while it is in flight still sees the session (to the dashboard).
  await expect(page).toHaveURL(`${own.app.appUrl}/`);
  await page.goto(`${own.app.appUrl}/login`);
  await page.getByText("Use another Discord account").click();
  await expect(page.getByText("log out of Discord in this browser first")).toBeVisible();
  await expectAccessible(page, "login, another account open");
  await page.getByRole("button", { name: "Log in, showing Discord's screen" }).click();
  await expect(page).toHaveURL(new RegExp(`^${own.app.emulatorUrl}/oauth2/authorize`));
  expect(screens).toEqual(["none", "consent"]);
  const other = await createAccount("other", own.app.emulatorUrl);
  await page.reload();
  await answerConsent(page, other.username, "Authorize", own.app.emulatorUrl);
  await expect(page).toHaveURL(`${own.app.appUrl}/dashboard`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Test other`);
});
