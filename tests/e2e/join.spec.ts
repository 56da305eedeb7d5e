import { expect, test } from "@playwright/test";
import { CREATE_INSTANT_INVITE } from "../../emulator/discord/permissions";
import { seededGuildId } from "../../emulator/testing/seeded";
import { expectAccessible } from "./axe";
import { answerConsent, control, createAccount, logInFromHere, useOwnApp } from "./support";

/**
 * A members-only app (Night Owls) that offers people it refuses to join the server, started
 * as `npm start` starts it, with an emulator of its own whose bot may add people there.
 */
const NIGHT_OWLS = seededGuildId("Night Owls");

test.describe.configure({ mode: "serial", timeout: 60_000 });

const own = useOwnApp({
  DISCORD_SCOPES: "identify",
  ACCESS_GUILD_IDS: `${NIGHT_OWLS}=Night Owls`,
  JOIN_GUILD_ID: NIGHT_OWLS,
});

test.beforeAll(async () => {
  await control(
    "PUT",
    `/guilds/${NIGHT_OWLS}/bot`,
    { permissions: CREATE_INSTANT_INVITE.toString() },
    own.app.emulatorUrl,
  );
});

test("someone refused for not being a member joins from the refusal page and is let in", async ({ page }) => {
  const person = await createAccount("owlet", own.app.emulatorUrl);
  await page.goto(`${own.app.appUrl}/login`);
  await logInFromHere(page, person.username, own.app.emulatorUrl);
  await expect(page).toHaveURL(`${own.app.appUrl}/access-refused?reason=not_member`);

  const offer = page.getByRole("region", { name: "Join and continue" });
  await expect(offer).toContainText("can add you to Night Owls on Discord, then let you in");
  await expectAccessible(page, "refusal page, offering to join");
  await offer.getByRole("button", { name: "Join Night Owls and continue" }).click();

  // Discord's screen asks for the new scope; the person is the same.
  await expect(page).toHaveURL(new RegExp(`^${own.app.emulatorUrl}/oauth2/authorize`));
  await expect(page.getByText("Join servers for you")).toBeVisible();
  await answerConsent(page, person.username, "Authorize", own.app.emulatorUrl);

  await expect(page).toHaveURL(`${own.app.appUrl}/dashboard`);
  await expect(page.getByText("You joined Night Owls on Discord.")).toBeVisible();
  const members = (await control("GET", `/guilds/${NIGHT_OWLS}`, undefined, own.app.emulatorUrl)).members as {
    account_id: string;
  }[];
  expect(members.map((member) => member.account_id)).toContain(person.id);
});

test("when the bot cannot add them, the refusal page says why, and nothing is stored", async ({ page }) => {
  await control("DELETE", `/guilds/${NIGHT_OWLS}/bot`, undefined, own.app.emulatorUrl);
  try {
    const person = await createAccount("strayowl", own.app.emulatorUrl);
    await page.goto(`${own.app.appUrl}/login`);
    await logInFromHere(page, person.username, own.app.emulatorUrl);
    await page.getByRole("button", { name: "Join Night Owls and continue" }).click();
    await answerConsent(page, person.username, "Authorize", own.app.emulatorUrl);

    await expect(page).toHaveURL(`${own.app.appUrl}/access-refused?reason=not_member`);
    await expect(
      page.getByRole("status").filter({ hasText: "could not add you to Night Owls on Discord" }),
    ).toContainText("the server is not set up for it yet, and the site's operator has been told.");
    await expectAccessible(page, "refusal page, after a failed join");
    const stored = await own.database.db.selectFrom("users").select("id").where("discord_id", "=", person.id).execute();
    expect(stored).toEqual([]);
  } finally {
    await control(
      "PUT",
      `/guilds/${NIGHT_OWLS}/bot`,
      { permissions: CREATE_INSTANT_INVITE.toString() },
      own.app.emulatorUrl,
    );
  }
});
