import { beforeEach, describe, expect, it } from "vitest";
import * as accessRefused from "~/routes/access-refused";
import * as authDiscord from "~/routes/auth.discord";
import * as dashboard from "~/routes/dashboard";
import { CREATE_INSTANT_INVITE } from "../../emulator/discord/permissions";
import { callsOn, issuedTokens, removeMember, seededGuildId, seededId } from "../../emulator/testing/harness";
import { useTestApp } from "../../tests/support/app-harness";
import { answerConsent, finishLogin, logIn, startLogin } from "../../tests/support/login";
import { TestBrowser } from "../../tests/support/test-browser";

// Members only (Night Owls), and people refused for not being in it may ask to join it;
// Linked Roles on too, a feature a person may have shared from this browser.
const NIGHT_OWLS = seededGuildId("Night Owls");
const app = useTestApp({
  env: (emulator) => ({
    DISCORD_SCOPES: "identify",
    DISCORD_BOT_TOKEN: emulator.botToken,
    ACCESS_GUILD_IDS: `${NIGHT_OWLS}=Night Owls`,
    JOIN_GUILD_ID: NIGHT_OWLS,
    LINKED_ROLES: "true",
  }),
});

beforeEach(async () => {
  await app().control("PUT", `/guilds/${NIGHT_OWLS}/bot`, { permissions: CREATE_INSTANT_INVITE.toString() });
});

const newcomer = async (name: string) =>
  (await app().control("POST", "/accounts", { username: name })).body.id as string;

/** "Join Night Owls and continue" on the refusal page, answered on Discord by `accountId`. */
async function joinAndContinue(browser: TestBrowser, accountId: string) {
  const started = await browser.post(authDiscord.action, "/auth/discord", { join: "server" });
  expect(started.status).toBe(302);
  const authorizeUrl = new URL(started.location!);
  return {
    authorizeUrl,
    back: await finishLogin(browser, await answerConsent(app(), authorizeUrl, { username: accountId })),
  };
}

const usersOf = (discordId: string) =>
  app().db.selectFrom("users").select("id").where("discord_id", "=", discordId).execute();

describe("Join and continue, with members-only rules", () => {
  it("asks no guilds.join at login; the refusal page offers to join the required server", async () => {
    const id = await newcomer("outsideowl");
    const browser = new TestBrowser();
    const authorizeUrl = await startLogin(browser);
    expect(authorizeUrl.searchParams.get("scope")).toBe("identify guilds");
    const back = await finishLogin(browser, await answerConsent(app(), authorizeUrl, { username: id }));
    expect(back.location).toBe("/access-refused?reason=not_member");
    expect(await callsOn(app().emulator, "add_guild_member")).toEqual({});

    const page = await browser.get(accessRefused.loader, back.location!);
    expect(page.data.joinServer).toBe("Night Owls");
  });

  it("adds the person, then lets them in: one login, the rules checked after the join", async () => {
    const id = await newcomer("joiningowl");
    const browser = new TestBrowser();
    const { authorizeUrl, back } = await joinAndContinue(browser, id);
    expect(authorizeUrl.searchParams.get("scope")).toBe("identify guilds guilds.join");
    expect(back).toMatchObject({ status: 302, location: "/dashboard" });
    expect(await callsOn(app().emulator, "add_guild_member")).toEqual({ "201": 1 });
    expect(await callsOn(app().emulator, "guilds")).toEqual({ "200": 1 });
    expect(await browser.notice()).toEqual({ kind: "success", message: "You joined Night Owls on Discord." });
    const page = await browser.get(dashboard.loader, "/dashboard");
    expect(page.data.access.server).toMatchObject({ id: NIGHT_OWLS });
  });

  it("adds back someone who left, when they ask", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "pixelpine"); // in Night Owls
    await removeMember(app().emulator, NIGHT_OWLS, seededId("pixelpine"));
    const { back } = await joinAndContinue(new TestBrowser(), seededId("pixelpine"));
    expect(back.location).toBe("/dashboard");
    expect(await callsOn(app().emulator, "add_guild_member")).toEqual({ "201": 1 });
  });

  it("refuses when the join fails, says why, stores nothing and revokes the grant", async () => {
    await app().control("DELETE", `/guilds/${NIGHT_OWLS}/bot`);
    const id = await newcomer("strandedowl");
    const browser = new TestBrowser();
    const { back } = await joinAndContinue(browser, id);
    expect(back.location).toBe("/access-refused?reason=not_member");
    expect(await browser.notice()).toEqual({
      kind: "info",
      message:
        "Remix Discord Login could not add you to Night Owls on Discord: the server is not set up for it yet, and the site's operator has been told.",
    });
    expect(await usersOf(id)).toEqual([]);
    const tokens = await issuedTokens(app().emulator, id);
    expect(tokens.length).toBeGreaterThan(0);
    expect(tokens.every((token) => token.status === "revoked")).toBe(true);
  });

  it("asks, when joining, for what this browser's person shared too, so the join takes nothing back", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "pixelpine"); // in Night Owls
    const connect = await browser.post(authDiscord.action, "/auth/discord", {
      feature: "linked_roles",
      returnTo: "/linked-roles",
    });
    const connectUrl = new URL(connect.location!);
    await finishLogin(browser, await answerConsent(app(), connectUrl, { username: "pixelpine" }));
    expect(browser.cookie("shared")).toBeDefined();

    const started = await browser.post(authDiscord.action, "/auth/discord", { join: "server" });
    expect(new URL(started.location!).searchParams.get("scope")).toBe(
      "identify guilds role_connections.write guilds.join",
    );
  });

  it("refuses a join request the pages do not send (400)", async () => {
    for (const join of ["", "yes", "Night Owls", "server "]) {
      const refused = await new TestBrowser().post(authDiscord.action, "/auth/discord", { join });
      expect(refused.status, join).toBe(400);
    }
  });
});
