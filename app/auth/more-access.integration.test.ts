import { describe, expect, it } from "vitest";
import { discordAccess } from "~/discord/discord-access.server";
import { getAccessToken } from "~/discord/access-token.server";
import * as authDiscord from "~/routes/auth.discord";
import * as login from "~/routes/login";
import * as logout from "~/routes/logout";
import * as revoke from "~/routes/revoke";
import * as servers from "~/routes/servers";
import * as serverSettings from "~/routes/servers_.$guildId";
import { answersOn, api, counters, inFlightOn, issuedTokens, seededId } from "../../emulator/testing/harness";
import { useTestApp } from "../../tests/support/app-harness";
import { answerConsent, finishLogin, logIn, startLogin } from "../../tests/support/login";
import { TestBrowser } from "../../tests/support/test-browser";

// A site that logs in with `identify email` only: the servers page asks for `guilds` when
// it is opened, through a login that keeps the person's session.
const app = useTestApp({
  env: (emulator) => ({ DISCORD_SCOPES: "identify email", DISCORD_BOT_TOKEN: emulator.botToken }),
});

async function storedScopes(username: string): Promise<string> {
  const row = await app()
    .db.selectFrom("discord_tokens")
    .innerJoin("users", "users.id", "discord_tokens.user_id")
    .select("discord_tokens.scopes")
    .where("users.discord_id", "=", seededId(username))
    .executeTakeFirstOrThrow();
  return row.scopes;
}

async function userId(username: string): Promise<string> {
  const row = await app()
    .db.selectFrom("users")
    .select("id")
    .where("discord_id", "=", seededId(username))
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A browser where nova is signed in (with `identify email`), and her user id here. */
async function novaSignedIn(): Promise<{ browser: TestBrowser; id: string }> {
  const browser = new TestBrowser();
  await logIn(app(), browser, "nova");
  return { browser, id: await userId("nova") };
}

/** The users stored for a seeded account: none until it logs in. */
const usersOf = (username: string) =>
  app().db.selectFrom("users").select("id").where("discord_id", "=", seededId(username)).execute();

/** Makes the stored access token due for a refresh, as time would. */
async function expireStoredToken(id: string): Promise<void> {
  await app()
    .db.updateTable("discord_tokens")
    .set({ access_token_expires_at: new Date(Date.now() - 1000) })
    .where("user_id", "=", id)
    .execute();
}

const sessionsOf = async (id: string) =>
  (await app().db.selectFrom("sessions").select("id").where("user_id", "=", id).execute()).map((row) => row.id);

/** "Share your server list" on the servers page: the authorize URL the app sends the browser to. */
async function askForServers(browser: TestBrowser): Promise<URL> {
  const started = await browser.post(authDiscord.action, "/auth/discord", { feature: "servers", returnTo: "/servers" });
  expect(started.status).toBe(302);
  return new URL(started.location!);
}

describe("asking for a scope when a page needs it", () => {
  it("logs in without guilds; the servers page asks instead of calling Discord", async () => {
    const { browser } = await novaSignedIn();
    expect(await storedScopes("nova")).toBe("identify email");
    const guildCalls = await answersOn(app().emulator, "guilds");

    const page = await browser.get(servers.loader, "/servers");
    expect(page.data).toMatchObject({ guildsGranted: false, servers: null });
    expect(await answersOn(app().emulator, "guilds")).toBe(guildCalls);
  });

  it("upgrades in place: all scopes asked, the same session kept, the new tokens stored", async () => {
    const { browser, id } = await novaSignedIn();
    const sessionsBefore = await sessionsOf(id);
    const cookieBefore = browser.cookie();

    const authorizeUrl = await askForServers(browser);
    // The login's scopes, those already granted and the new one: a token carries only what
    // its own authorization asked for.
    expect(authorizeUrl.searchParams.get("scope")).toBe("identify email guilds");
    expect(authorizeUrl.searchParams.get("prompt")).toBe("none");

    const back = await finishLogin(browser, await answerConsent(app(), authorizeUrl, { username: "nova" }));
    expect(back).toMatchObject({ status: 302, location: "/servers" });
    // No new session: the cookie was not set again and the session rows are the same.
    expect(back.headers.getSetCookie().some((line) => line.startsWith("session="))).toBe(false);
    expect(browser.cookie()).toBe(cookieBefore);
    expect(await sessionsOf(id)).toEqual(sessionsBefore);
    expect(await browser.notice()).toEqual({
      kind: "success",
      message: "Done: Discord now shares what this page needs.",
    });

    expect(await storedScopes("nova")).toBe("identify email guilds");
    const page = await browser.get(servers.loader, "/servers");
    expect(page.data.guildsGranted).toBe(true);
    expect(page.data.servers.length).toBeGreaterThan(0);
  });

  it("keeps the upgraded scope across a refresh", async () => {
    const { browser, id } = await novaSignedIn();
    const authorizeUrl = await askForServers(browser);
    await finishLogin(browser, await answerConsent(app(), authorizeUrl, { username: "nova" }));
    await expireStoredToken(id);
    const refreshesBefore = (await counters(app().emulator)).refreshes;

    const token = await getAccessToken(discordAccess(), id);
    expect((await counters(app().emulator)).refreshes).toBe(refreshesBefore + 1);
    expect(await storedScopes("nova")).toBe("identify email guilds");
    expect((await api(app().emulator, "/users/@me/guilds", token)).status).toBe(200);
  });

  it("stores the upgrade's tokens after a refresh that held the row, never the refresh's", async () => {
    const { browser, id } = await novaSignedIn();
    const authorizeUrl = await askForServers(browser);
    const callback = await answerConsent(app(), authorizeUrl, { username: "nova" });

    // A refresh is waiting on Discord, holding the token row, when Discord's answer to the
    // upgrade comes back.
    await expireStoredToken(id);
    await app().control("POST", "/faults", { route: "token", count: 1, delay_ms: 1_500 });
    const refreshing = getAccessToken(discordAccess(), id);
    await expect.poll(() => inFlightOn(app().emulator, "token")).toBe(1);
    const [, back] = await Promise.all([refreshing, finishLogin(browser, callback)]);
    expect(back).toMatchObject({ status: 302, location: "/servers" });

    expect(await storedScopes("nova")).toBe("identify email guilds");
    const token = await getAccessToken(discordAccess(), id);
    const issued = (await issuedTokens(app().emulator, seededId("nova"))).find((entry) => entry.token === token);
    expect(issued).toMatchObject({ valid: true });
    expect((await api(app().emulator, "/users/@me/guilds", token)).status).toBe(200);
  });

  it("changes nothing when Discord answers for another account, and says so", async () => {
    const { browser, id } = await novaSignedIn();
    const sessionsBefore = await sessionsOf(id);
    const otherUsersBefore = await usersOf("guildhopper");

    const authorizeUrl = await askForServers(browser);
    const back = await finishLogin(browser, await answerConsent(app(), authorizeUrl, { username: "guildhopper" }));
    expect(back).toMatchObject({ status: 302, location: "/servers" });
    expect(await browser.notice()).toEqual({
      kind: "error",
      message:
        "Discord answered for another account than the one logged in here, so nothing changed. To use that account, log out first.",
    });
    expect(await storedScopes("nova")).toBe("identify email");
    expect(await sessionsOf(id)).toEqual(sessionsBefore);
    expect(await usersOf("guildhopper")).toEqual(otherUsersBefore);
    expect((await browser.get(servers.loader, "/servers")).data.guildsGranted).toBe(false);
  });

  it("keeps the person signed in, with nothing more shared, when they cancel on Discord", async () => {
    const { browser } = await novaSignedIn();
    const authorizeUrl = await askForServers(browser);
    const back = await finishLogin(
      browser,
      await answerConsent(app(), authorizeUrl, { username: "nova", action: "cancel" }),
    );
    expect(back).toMatchObject({ status: 302, location: "/servers" });
    expect(await browser.notice()).toEqual({
      kind: "info",
      message: "You cancelled on Discord, so nothing more was shared. You are still logged in.",
    });
    expect((await browser.get(servers.loader, "/servers")).status).toBe(200);
    expect(await storedScopes("nova")).toBe("identify email");
  });

  it("refuses a feature no page names (400), and sends someone not signed in to log in", async () => {
    const { browser } = await novaSignedIn();
    // linked_roles is a feature only where LINKED_ROLES is on (not here).
    for (const feature of ["admin", "", "servers ", "__proto__", "constructor", "linked_roles"]) {
      const refused = await browser.post(authDiscord.action, "/auth/discord", { feature });
      expect(refused.status, feature).toBe(400);
      expect(refused.body).toBe("This is not a request the site's pages send.");
    }
    const stranger = new TestBrowser();
    const sent = await stranger.post(authDiscord.action, "/auth/discord", { feature: "servers", returnTo: "/servers" });
    expect(sent.status).toBe(302);
    expect(sent.location).toBe("/login");
  });

  it("asks Discord to show its screen for another account, and to skip it otherwise", async () => {
    const browser = new TestBrowser();
    const plain = await browser.post(authDiscord.action, "/auth/discord", {});
    expect(new URL(plain.location!).searchParams.get("prompt")).toBe("none");
    const another = await browser.post(authDiscord.action, "/auth/discord", { account: "another" });
    expect(new URL(another.location!).searchParams.get("prompt")).toBe("consent");
    expect(new URL(another.location!).searchParams.get("scope")).toBe("identify email");
  });

  it("sends the bot dashboard's pages to the servers page to ask, before any call to Discord", async () => {
    const { browser } = await novaSignedIn();
    const guildCalls = await answersOn(app().emulator, "guilds");
    const guildId = "1".repeat(18);
    const request = new Request(`http://localhost:3000/servers/${guildId}`, {
      headers: { Cookie: `session=${browser.cookie()}` },
    });
    const thrown = await serverSettings.loader({ request, params: { guildId }, context: {} }).catch((error) => error);
    expect(thrown).toBeInstanceOf(Response);
    expect(thrown.status).toBe(302);
    expect(thrown.headers.get("Location")).toBe("/servers");
    expect(await answersOn(app().emulator, "guilds")).toBe(guildCalls);
  });

  it("asks again at the next login for what the person shared, so nothing is taken back", async () => {
    const { browser } = await novaSignedIn();
    await finishLogin(browser, await answerConsent(app(), await askForServers(browser), { username: "nova" }));
    expect((await browser.post(logout.action, "/logout")).status).toBe(302);

    // The login page says it, and the login asks for it (Discord skips its screen, as it
    // was granted before): the stored tokens keep the server list.
    expect((await browser.get(login.loader, "/login")).data.asks).toBe(
      "your username and avatar, your email address and the list of your servers",
    );
    const authorizeUrl = await startLogin(browser);
    expect(authorizeUrl.searchParams.get("scope")).toBe("identify email guilds");
    expect(authorizeUrl.searchParams.get("prompt")).toBe("none");
    await finishLogin(browser, await answerConsent(app(), authorizeUrl, { username: "nova" }));
    expect(await storedScopes("nova")).toBe("identify email guilds");
    expect((await browser.get(servers.loader, "/servers")).data.guildsGranted).toBe(true);

    // "Another account" asks only the login's scopes: what was shared was this person's.
    const another = await browser.post(authDiscord.action, "/auth/discord", { account: "another" });
    expect(new URL(another.location!).searchParams.get("scope")).toBe("identify email");
  });

  it("forgets what was shared when the person revokes, and ignores a cookie it did not sign", async () => {
    const { browser } = await novaSignedIn();
    await finishLogin(browser, await answerConsent(app(), await askForServers(browser), { username: "nova" }));
    expect(browser.cookie("shared")).toBeDefined();
    expect(await browser.post(revoke.action, "/revoke")).toMatchObject({ status: 302, location: "/" });
    expect(browser.cookie("shared")).toBeUndefined();
    expect((await startLogin(browser)).searchParams.get("scope")).toBe("identify email");

    const forged = new TestBrowser();
    forged.setCookie("shared", encodeURIComponent(btoa(JSON.stringify(["servers", "admin"]))));
    expect((await startLogin(forged)).searchParams.get("scope")).toBe("identify email");
  });

  it("tells on the login page what Discord will ask for: the login's scopes only", async () => {
    const page = await new TestBrowser().get(login.loader, "/login");
    expect(page.data.asks).toBe("your username and avatar and your email address");
  });
});
