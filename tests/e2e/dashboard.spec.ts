import { expect, test } from "@playwright/test";
import { expectAccessible } from "./axe";
import { control, createAccount, emulatorUrl, logInFromHere } from "./support";

// The bot dashboard as a manager uses it (npm start gives the app the emulator's bot):
// add the bot to a server of theirs, choose a channel, save a welcome message, send it as
// a test, and see it arrive on Discord. Each test makes a server of its own, so the runs
// with JavaScript on and off never share one.

test.describe.configure({ timeout: 120_000 });

const ORDINARY_MEMBER = "2218118209";
/** An ordinary member's permissions and Manage Server (1 << 5). */
const MANAGE_SERVER = String(2218118209 + 32);

async function serverOwnedBy(
  ownerId: string,
  name: string,
  members: { account_id: string; permissions?: string }[] = [],
) {
  const server = await control("POST", "/guilds", { name, owner_id: ownerId, icon: true, members });
  return server as { id: string; name: string };
}

test("a manager adds the bot, chooses a channel, saves a welcome message and sends it as a test", async ({ page }) => {
  const owner = await createAccount("manager");
  const server = await serverOwnedBy(owner.id, `Dash ${test.info().project.name}`);
  await page.goto("/login");
  await logInFromHere(page, owner.username);
  await page.goto("/servers");
  await expectAccessible(page, "servers, with a server to add the bot to");
  await page.getByRole("button", { name: `Add the bot to ${server.name}` }).click();

  // Discord's screen: the server fixed, the permissions asked for, checked.
  await expect(page).toHaveURL(new RegExp(`^${emulatorUrl}/oauth2/authorize`));
  await expect(page.getByText(server.name)).toBeVisible();
  await expect(page.getByRole("checkbox", { name: "Send Messages" })).toBeChecked();
  await expectAccessible(page, "adding the bot (emulator)");
  await page.getByRole("button", { name: "Authorize" }).click();

  await expect(page).toHaveURL(new RegExp(`/servers/${server.id}$`));
  await expect(
    page.getByText(`The bot was added to ${server.name}, with every permission it asked for.`),
  ).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: server.name })).toBeVisible();
  await expectAccessible(page, "server settings");

  await page.getByLabel("Channel").selectOption({ label: "#general" });
  await page.getByLabel("Message").fill("Welcome to the server, <b>friend</b>!");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await expect(page.getByLabel("Message")).toHaveValue("Welcome to the server, <b>friend</b>!");
  await expect(page.getByText("set the welcome message to")).toBeVisible();

  await page.getByRole("button", { name: "Send a test message" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Sent to #general." })).toBeVisible();
  await expectAccessible(page, "server settings, after a change");
  // On Discord (the emulator's page for the server), as text.
  await page.goto(`${emulatorUrl}/channels/${server.id}`);
  await expect(page.getByRole("heading", { level: 2, name: "#general" })).toBeVisible();
  await expect(page.getByText("Welcome to the server, <b>friend</b>!")).toBeVisible();
  await expectAccessible(page, "the server on Discord (emulator)");
});

test("a manager demoted on Discord loses the settings page at the next check", async ({ page }) => {
  const [owner, manager] = [await createAccount("owner"), await createAccount("demoted")];
  const server = await serverOwnedBy(owner.id, `Demotion ${test.info().project.name}`, [
    { account_id: manager.id, permissions: MANAGE_SERVER },
  ]);
  await control("PUT", `/guilds/${server.id}/bot`, {});
  await page.goto("/login");
  await logInFromHere(page, manager.username);
  const allowed = await page.goto(`/servers/${server.id}`);
  expect(allowed?.status()).toBe(200);
  await control("PUT", `/guilds/${server.id}/members/${manager.id}`, { permissions: ORDINARY_MEMBER });
  // DASHBOARD_RECHECK_SECONDS is 10 in these tests: the next check after that says no.
  await expect
    .poll(async () => (await page.goto(`/servers/${server.id}`))?.status(), { timeout: 30_000, intervals: [1_000] })
    .toBe(403);
  await expect(page.getByText("You do not manage this server on Discord")).toBeVisible();
});

test("a plain member of the server is told it is not theirs to manage", async ({ page }) => {
  const [owner, member] = [await createAccount("owner"), await createAccount("member")];
  const server = await serverOwnedBy(owner.id, `Members ${test.info().project.name}`, [
    { account_id: member.id, permissions: ORDINARY_MEMBER },
  ]);
  await page.goto("/login");
  await logInFromHere(page, member.username);
  await page.goto("/servers");
  await expect(page.getByRole("button", { name: `Add the bot to ${server.name}` })).toHaveCount(0);
  const answer = await page.goto(`/servers/${server.id}`);
  expect(answer?.status()).toBe(403);
  await expect(page.getByText("You do not manage this server on Discord")).toBeVisible();
  await expectAccessible(page, "403, not a manager");
});

test("a server whose bot was removed on Discord offers to add it again", async ({ page }) => {
  const owner = await createAccount("removed");
  const server = await serverOwnedBy(owner.id, `Removed ${test.info().project.name}`);
  await control("PUT", `/guilds/${server.id}/bot`, {});
  await page.goto("/login");
  await logInFromHere(page, owner.username);
  await control("DELETE", `/guilds/${server.id}/bot`);
  await page.goto(`/servers/${server.id}`);
  await expect(page.getByRole("heading", { name: "The bot is not in this server" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Add the bot" })).toBeVisible();
});
