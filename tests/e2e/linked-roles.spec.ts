import { expect, test } from "@playwright/test";
import { expectAccessible } from "./axe";
import { answerConsent, createAccount, logInFromHere, useOwnApp } from "./support";

test.describe.configure({ mode: "serial", timeout: 60_000 });

/**
 * An app that is a Linked Roles verification provider, started as `npm start` starts it
 * (which registers the metadata with its emulator), logging in with `identify email`.
 */
const own = useOwnApp({ DISCORD_SCOPES: "identify email", LINKED_ROLES: "true" });

test("Discord's verification link: log in, connect, and a server's Linked Roles see the details", async ({ page }) => {
  const person = await createAccount("linkedrole", own.app.emulatorUrl);
  // Where Discord sends people from a server's Linked Roles.
  await page.goto(`${own.app.appUrl}/linked-roles`);
  await expect(page).toHaveURL(new RegExp(`^${own.app.appUrl}/login\\?returnTo=%2Flinked-roles`));
  await logInFromHere(page, person.username, own.app.emulatorUrl);
  await expect(page).toHaveURL(`${own.app.appUrl}/linked-roles`);

  const ask = page.getByRole("region", { name: "Connect for Linked Roles" });
  await expect(page.getByText("Verified email")).toBeVisible();
  await expectAccessible(page, "linked roles, asking to connect");
  await ask.getByRole("button", { name: "Connect for Linked Roles" }).click();
  await expect(page.getByText("Update your connection details for Linked Roles")).toBeVisible();
  await answerConsent(page, person.username, "Authorize", own.app.emulatorUrl);

  await expect(page).toHaveURL(`${own.app.appUrl}/linked-roles`);
  await expect(page.getByRole("heading", { name: "Connected" })).toBeVisible();
  await expectAccessible(page, "linked roles, connected");

  const seen = await page.context().newPage();
  await seen.goto(`${own.app.emulatorUrl}/linked-roles`);
  await expect(seen.getByRole("listitem").filter({ hasText: `@${person.username}` })).toContainText(
    "Verified email: 1",
  );
  await seen.close();

  await page.getByRole("button", { name: "Send again" }).click();
  await expect(page.getByText("Sent: Discord's Linked Roles now see these details.")).toBeVisible();
});
