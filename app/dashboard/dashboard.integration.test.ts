import { beforeEach, describe, expect, it } from "vitest";
import * as addBot from "~/routes/servers_.$guildId.add-bot";
import * as botAdded from "~/routes/servers_.bot-added";
import * as serverPage from "~/routes/servers_.$guildId";
import * as servers from "~/routes/servers";
import { ORDINARY_MEMBER } from "../../emulator/discord/permissions";
import { seededGuildId, seededId } from "../../emulator/testing/harness";
import { useTestApp } from "../../tests/support/app-harness";
import { logIn } from "../../tests/support/login";
import type { RouteHandler } from "../../tests/support/test-browser";
import { TestBrowser } from "../../tests/support/test-browser";
import { forgetBotServers } from "./bot-presence.server";
import { forgetManager } from "./manager.server";
import { forgetServerDetails } from "./server-details.server";

const app = useTestApp({ env: (emulator) => ({ DISCORD_BOT_TOKEN: emulator.botToken }) });
// nova owns Emulator HQ (the bot is there), manages Night Owls (it is not), belongs to Quiet Corner.
const HQ = seededGuildId("Emulator HQ");
const NIGHT_OWLS = seededGuildId("Night Owls");
const QUIET_CORNER = seededGuildId("Quiet Corner");

beforeEach(async () => {
  forgetBotServers();
  forgetServerDetails();
  await app().db.deleteFrom("manager_checks").execute();
  await app().db.deleteFrom("guild_settings").execute();
  await app().db.deleteFrom("guild_setting_changes").execute();
  for (const username of ["nova", "pixelpine"]) {
    const row = await app()
      .db.selectFrom("users")
      .select("id")
      .where("discord_id", "=", seededId(username))
      .executeTakeFirst();
    if (row) forgetManager(row.id);
  }
});

/** A route handler for one server's address (the test browser passes no route params). */
const forServer =
  (handler: RouteHandler, guildId: string): RouteHandler =>
  (args) =>
    handler({ ...args, params: { guildId } });

async function signedIn(username = "nova"): Promise<TestBrowser> {
  const browser = new TestBrowser();
  await logIn(app(), browser, username);
  return browser;
}

async function emulatorGuild(guildId: string) {
  return (await app().control("GET", `/guilds/${guildId}`)).body;
}

describe("the servers a person manages", () => {
  it("are marked with the bot present or a way to add it; others are not", async () => {
    const page = await (await signedIn()).get(servers.loader, "/servers");
    expect(page.data.dashboard).toBe(true);
    const byId = new Map(page.data.servers.map((server: { id: string }) => [server.id, server]));
    expect(byId.get(HQ)).toMatchObject({ manages: true, botPresent: true });
    expect(byId.get(NIGHT_OWLS)).toMatchObject({ manages: true, botPresent: false });
    expect(byId.get(QUIET_CORNER)).toMatchObject({ manages: false });
  });
});

describe("adding the bot", () => {
  async function toDiscord(browser: TestBrowser, guildId: string): Promise<URL> {
    const started = await browser.post(forServer(addBot.action, guildId), `/servers/${guildId}/add-bot`);
    expect(started.status).toBe(302);
    return new URL(started.location!);
  }

  async function consent(authorizeUrl: URL, permissions: bigint[] | null, action = "authorize"): Promise<string> {
    const form = new URLSearchParams(authorizeUrl.searchParams);
    form.set("account_id", seededId("nova"));
    form.set("action", action);
    form.set("bot_guild_id", authorizeUrl.searchParams.get("guild_id")!);
    for (const bit of permissions ?? []) form.append("bot_permission", bit.toString());
    const answer = await fetch(`${app().emulator.url}/oauth2/authorize`, {
      method: "POST",
      body: form,
      redirect: "manual",
    });
    expect(answer.status).toBe(302);
    const back = new URL(answer.headers.get("Location")!);
    return `${back.pathname}${back.search}`;
  }

  it("sends a manager to Discord's screen for that server, and back to its settings with the bot there", async () => {
    const browser = await signedIn();
    const authorize = await toDiscord(browser, NIGHT_OWLS);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      scope: "bot applications.commands",
      permissions: "3072",
      guild_id: NIGHT_OWLS,
      disable_guild_select: "true",
      integration_type: "0",
      response_type: "code",
      redirect_uri: "http://localhost:3000/servers/bot-added",
    });
    const back = await browser.get(botAdded.loader, await consent(authorize, [1n << 10n, 1n << 11n]));
    expect(back.location).toBe(`/servers/${NIGHT_OWLS}`);
    expect(await browser.notice()).toEqual({
      kind: "success",
      message: "The bot was added to Night Owls, with every permission it asked for.",
    });
    expect((await emulatorGuild(NIGHT_OWLS)).bot).toMatchObject({ permissions: "3072" });
    // The servers page knows at once, without waiting for the bot's next listing.
    const list = await browser.get(servers.loader, "/servers");
    expect(list.data.servers.find((server: { id: string }) => server.id === NIGHT_OWLS).botPresent).toBe(true);
  });

  it("says which permissions were not granted, and what stops working without them", async () => {
    const browser = await signedIn();
    await browser.get(botAdded.loader, await consent(await toDiscord(browser, NIGHT_OWLS), [1n << 10n]));
    expect(await browser.notice()).toEqual({
      kind: "info",
      message:
        "The bot was added to Night Owls, without Send Messages (the welcome and test messages cannot be posted). Add it again to grant what is missing.",
    });
  });

  it("says so when the bot is added again where it already is, with what it has now", async () => {
    const browser = await signedIn();
    expect((await browser.get(servers.loader, "/servers")).status).toBe(200); // the bot's servers, listed
    await browser.get(botAdded.loader, await consent(await toDiscord(browser, NIGHT_OWLS), [1n << 10n]));
    await browser.notice();
    await browser.get(botAdded.loader, await consent(await toDiscord(browser, NIGHT_OWLS), [1n << 10n]));
    expect(await browser.notice()).toEqual({
      kind: "info",
      message:
        "The bot was already in Night Owls; it still lacks Send Messages (the welcome and test messages cannot be posted). Add it again to grant what is missing.",
    });
    await browser.get(botAdded.loader, await consent(await toDiscord(browser, NIGHT_OWLS), [1n << 10n, 1n << 11n]));
    expect(await browser.notice()).toEqual({
      kind: "success",
      message: "The bot was already in Night Owls; it now has every permission it asks for.",
    });
    expect((await emulatorGuild(NIGHT_OWLS)).bot).toMatchObject({ permissions: "3072" });
  });

  it("takes a cancel calmly, and refuses a reused link and another person's", async () => {
    const browser = await signedIn();
    const cancelled = await browser.get(
      botAdded.loader,
      await consent(await toDiscord(browser, NIGHT_OWLS), null, "cancel"),
    );
    expect(cancelled.location).toBe(`/servers/${NIGHT_OWLS}`);
    expect((await browser.notice())?.message).toBe("You cancelled adding the bot on Discord; nothing changed.");
    expect((await emulatorGuild(NIGHT_OWLS)).bot).toBeNull();

    const returnPath = await consent(await toDiscord(browser, NIGHT_OWLS), [1n << 10n, 1n << 11n]);
    const other = await signedIn("pixelpine");
    expect((await other.get(botAdded.loader, returnPath)).location).toBe("/servers");
    expect((await other.notice())?.message).toMatch(/^That link to add the bot has expired or was already used/);
    await browser.get(botAdded.loader, returnPath);
    expect((await browser.notice())?.kind).toBe("success");
    await browser.get(botAdded.loader, returnPath); // the same return, again
    expect((await browser.notice())?.message).toMatch(/^That link to add the bot has expired or was already used/);
  });

  it("refuses someone who does not manage the server, before Discord is asked", async () => {
    const browser = await signedIn();
    const refused = await browser.post(forServer(addBot.action, QUIET_CORNER), `/servers/${QUIET_CORNER}/add-bot`);
    expect(refused.status).toBe(403);
  });
});

describe("a server's settings page", () => {
  const page = (guildId = HQ) => forServer(serverPage.loader, guildId);
  const act = (guildId = HQ) => forServer(serverPage.action, guildId);

  async function welcomeChannel(browser: TestBrowser): Promise<string> {
    const { data } = await browser.get(page(), `/servers/${HQ}`);
    return data.server.channels.find((channel: { name: string }) => channel.name === "welcome").id;
  }

  it("shows the server by the bot's eyes, with text channels only", async () => {
    const { data } = await (await signedIn()).get(page(), `/servers/${HQ}`);
    expect(data.server).toMatchObject({ id: HQ, name: "Emulator HQ", memberCount: 1523, onlineCount: 412 });
    expect(data.server.channels.map((channel: { name: string }) => channel.name)).toEqual([
      "general",
      "welcome",
      "announcements",
    ]);
    expect(data.settings).toMatchObject({ version: 0, welcomeMessage: "", welcomeChannelId: "" });
  });

  it("saves a message and a channel, keeps the change in the trail, and sends the test message as the bot", async () => {
    const browser = await signedIn();
    const channel = await welcomeChannel(browser);
    const message = "Welcome <b>friend</b> & @everyone 🎉";
    const saved = await browser.post(act(), `/servers/${HQ}`, {
      intent: "save",
      version: "0",
      welcomeChannelId: channel,
      welcomeMessage: message,
    });
    expect(saved.location).toBe(`/servers/${HQ}`);
    expect((await browser.notice())?.message).toBe("Saved.");

    const sent = await browser.post(act(), `/servers/${HQ}`, { intent: "test" });
    expect(sent.location).toBe(`/servers/${HQ}`);
    expect((await browser.notice())?.message).toBe("Sent to #welcome.");
    const arrived = (await emulatorGuild(HQ)).channels.find((candidate: { id: string }) => candidate.id === channel);
    expect(arrived.messages.map((posted: { content: string }) => posted.content)).toEqual([message]);

    const { data } = await browser.get(page(), `/servers/${HQ}`);
    expect(data.settings).toMatchObject({
      version: 1,
      welcomeMessage: message,
      welcomeChannelId: channel,
      updatedBy: "Nova Quinn",
    });
    expect(data.changes.map((change: { field: string }) => change.field)).toEqual([
      "test_message",
      "welcome_message",
      "welcome_channel_id",
    ]);
    expect(data.changes[0]).toMatchObject({ to: "#welcome", by: "Nova Quinn" });
  });

  it("gives back what was typed when it cannot be saved: too long, a channel not the server's, someone saving first", async () => {
    const browser = await signedIn();
    const channel = await welcomeChannel(browser);
    // 2,001 characters of four UTF-8 bytes: over 24 KB once the form encodes them, and still answered.
    const tooLong = "🎉".repeat(2001);
    const refused = await browser.post(act(), `/servers/${HQ}`, {
      intent: "save",
      version: "0",
      welcomeChannelId: channel,
      welcomeMessage: tooLong,
    });
    expect(refused.status).toBe(200);
    expect(refused.data).toEqual({
      kind: "invalid",
      typed: { welcomeMessage: tooLong, welcomeChannelId: channel },
      problems: ["The message is 2,001 characters long; Discord takes at most 2,000."],
    });
    const foreign = await browser.post(act(), `/servers/${HQ}`, {
      intent: "save",
      version: "0",
      welcomeChannelId: "1234567890123456789",
      welcomeMessage: "hi",
    });
    expect(foreign.data.problems).toEqual(["Choose one of the server's text channels."]);

    const other = await signedIn("legacyfox"); // an administrator of Emulator HQ
    await other.post(act(), `/servers/${HQ}`, {
      intent: "save",
      version: "0",
      welcomeChannelId: channel,
      welcomeMessage: "Fox's",
    });
    const late = await browser.post(act(), `/servers/${HQ}`, {
      intent: "save",
      version: "0",
      welcomeChannelId: channel,
      welcomeMessage: "Nova's",
    });
    expect(late.data).toMatchObject({ kind: "conflict", typed: { welcomeMessage: "Nova's" }, by: "legacyfox" });
    expect((await browser.get(page(), `/servers/${HQ}`)).data.settings.welcomeMessage).toBe("Fox's");
  });

  it("answers 403 to a plain member, and to a manager demoted on Discord at the next check", async () => {
    const member = await signedIn("pixelpine"); // a member of Emulator HQ without Manage Server
    expect((await member.get(page(), `/servers/${HQ}`)).status).toBe(403);

    const browser = await signedIn();
    expect((await browser.get(page(NIGHT_OWLS), `/servers/${NIGHT_OWLS}`)).status).toBe(200);
    await app().control("PUT", `/guilds/${NIGHT_OWLS}/members/${seededId("nova")}`, {
      permissions: ORDINARY_MEMBER.toString(),
    });
    await app()
      .db.updateTable("manager_checks")
      .set({ next_check_at: new Date(0) })
      .execute(); // the interval has passed
    const novaId = (
      await app()
        .db.selectFrom("users")
        .select("id")
        .where("discord_id", "=", seededId("nova"))
        .executeTakeFirstOrThrow()
    ).id;
    forgetManager(novaId);
    const refused = await browser.get(page(NIGHT_OWLS), `/servers/${NIGHT_OWLS}`);
    expect(refused.status).toBe(403);
    expect(refused.body).toContain("You do not manage this server on Discord");
  });

  it("says Discord is busy, with the wait, when the bot is rate limited, and never fails", async () => {
    const browser = await signedIn();
    await app().control("POST", "/faults", { route: "guild", count: 1, retry_after: 7 });
    const busy = await browser.get(page(), `/servers/${HQ}`);
    expect(busy.status).toBe(200);
    expect(busy.data).toMatchObject({ busyFor: 7, server: null, botPresent: true });
  });

  it("offers to add the bot where it was removed", async () => {
    const browser = await signedIn();
    await app().control("DELETE", `/guilds/${HQ}/bot`);
    const { data } = await browser.get(page(), `/servers/${HQ}`);
    expect(data).toMatchObject({ botPresent: false, server: null });
  });
});
