import { describe, expect, it } from "vitest";
import { BOT_SEED_PERMISSIONS, MANAGE_GUILD, SEND_MESSAGES, VIEW_CHANNEL } from "../discord/permissions";
import { asBot } from "../testing/bot";
import { REDIRECT_URI, control, seededGuildId, seededId, tokenRequest, useEmulator } from "../testing/harness";
import { responseValidator } from "../testing/openapi-validator";
import { rememberAccountCookie } from "./remembered-account";

const emulator = useEmulator();
const NOVA = seededId("nova");
// nova owns Emulator HQ, administers Pine Forest, manages Night Owls and only belongs to Quiet Corner.
const NIGHT_OWLS = seededGuildId("Night Owls");
const PINE_FOREST = seededGuildId("Pine Forest");
const QUIET_CORNER = seededGuildId("Quiet Corner");
const ASKED = VIEW_CHANNEL | SEND_MESSAGES;

/** The parameters of Discord's bot authorization with a redirect, as a dashboard sends them. */
function botParams(overrides: Record<string, string> = {}): URLSearchParams {
  return new URLSearchParams({
    client_id: emulator().clientId,
    redirect_uri: REDIRECT_URI,
    response_type: "code",
    scope: "bot applications.commands",
    permissions: ASKED.toString(),
    guild_id: NIGHT_OWLS,
    disable_guild_select: "true",
    integration_type: "0",
    state: "add-bot-state",
    ...overrides,
  });
}

function consentPage(params: URLSearchParams, accountId = NOVA): Promise<Response> {
  const cookie = rememberAccountCookie(accountId).split(";")[0]!;
  return fetch(`${emulator().url}/oauth2/authorize?${params}`, { redirect: "manual", headers: { Cookie: cookie } });
}

/** Submits the consent form with the bot's fields, as a browser would. */
function consent(
  params: URLSearchParams,
  choice: { server?: string; permissions?: bigint[]; accountId?: string; action?: string },
): Promise<Response> {
  const form = new URLSearchParams(params);
  form.set("action", choice.action ?? "authorize");
  form.set("account_id", choice.accountId ?? NOVA);
  if (choice.server !== undefined) form.set("bot_guild_id", choice.server);
  for (const permission of choice.permissions ?? [VIEW_CHANNEL, SEND_MESSAGES]) {
    form.append("bot_permission", permission.toString());
  }
  return fetch(`${emulator().url}/oauth2/authorize`, { method: "POST", body: form, redirect: "manual" });
}

async function botIn(guildId: string): Promise<{ permissions: string } | null> {
  return (await control(emulator(), "GET", `/guilds/${guildId}`)).body.bot;
}

describe("adding the bot to a server (scope bot, with a redirect)", () => {
  it("shows the server the app chose and each permission asked for, checked", async () => {
    const page = await (await consentPage(botParams())).text();
    expect(page).toContain("Add to server");
    expect(page).toContain("<p>Night Owls</p>");
    expect(page).toMatch(/name="bot_permission" value="1024" checked> View Channels/);
    expect(page).toMatch(/name="bot_permission" value="2048" checked> Send Messages/);
    expect(page).toContain("Add a bot to a server");
  });

  it("offers only the servers the account owns, administers or manages when the app lets the person choose", async () => {
    const page = await (await consentPage(botParams({ disable_guild_select: "false" }))).text();
    const offered = [...page.matchAll(/<option value="(\d+)"/g)].map((match) => match[1]);
    expect(offered).toEqual(expect.arrayContaining([seededGuildId("Emulator HQ"), PINE_FOREST, NIGHT_OWLS]));
    expect(offered).not.toContain(QUIET_CORNER);
    expect(page).toContain(`<option value="${NIGHT_OWLS}" selected>`);
  });

  it("adds the bot where the person chose, and sends them back with the code, the server and what was granted", async () => {
    expect(await botIn(NIGHT_OWLS)).toBeNull();
    const answer = await consent(botParams(), { server: NIGHT_OWLS });
    expect(answer.status).toBe(302);
    const back = new URL(answer.headers.get("location")!);
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT_URI);
    expect(Object.fromEntries(back.searchParams)).toEqual({
      code: expect.any(String),
      state: "add-bot-state",
      guild_id: NIGHT_OWLS,
      permissions: ASKED.toString(),
    });
    expect(await botIn(NIGHT_OWLS)).toMatchObject({ permissions: ASKED.toString() });
    expect((await asBot(emulator(), "GET", `/guilds/${NIGHT_OWLS}`)).status).toBe(200);

    // The code's exchange carries the server, as Discord's does after adding a bot.
    const exchanged = await tokenRequest(emulator(), {
      grant_type: "authorization_code",
      code: back.searchParams.get("code")!,
      redirect_uri: REDIRECT_URI,
    });
    expect(exchanged.status).toBe(200);
    expect(exchanged.body.scope).toBe("bot applications.commands");
    expect(exchanged.body.guild).toMatchObject({ id: NIGHT_OWLS, name: "Night Owls" });
    const validGuild = responseValidator("/guilds/{guild_id}", "get", "200");
    expect(validGuild(exchanged.body.guild), JSON.stringify(validGuild.errors)).toBe(true);
  });

  it("grants only what stayed checked, and never more than the app asked for", async () => {
    const answer = await consent(botParams(), { server: NIGHT_OWLS, permissions: [VIEW_CHANNEL, MANAGE_GUILD, 8n] });
    expect(new URL(answer.headers.get("location")!).searchParams.get("permissions")).toBe(VIEW_CHANNEL.toString());
    expect(await botIn(NIGHT_OWLS)).toMatchObject({ permissions: VIEW_CHANNEL.toString() });
  });

  it("refuses a server the account only belongs to, or another than the one imposed, adding nothing", async () => {
    const notManaged = await consent(botParams({ guild_id: QUIET_CORNER }), { server: QUIET_CORNER });
    expect(notManaged.status).toBe(400);
    expect(await notManaged.text()).toContain("Choose a server where you have Manage Server.");
    expect(await botIn(QUIET_CORNER)).toBeNull();

    const other = await consent(botParams(), { server: PINE_FOREST });
    expect(other.status).toBe(400);
    expect(await other.text()).toContain("This app may only be added to the server it chose.");
    expect(await botIn(PINE_FOREST)).toBeNull();
  });

  it("sends the person back with access_denied on Cancel, the bot not added", async () => {
    const answer = await consent(botParams(), { server: NIGHT_OWLS, action: "cancel" });
    const back = new URL(answer.headers.get("location")!).searchParams;
    expect(back.get("error")).toBe("access_denied");
    expect(back.get("state")).toBe("add-bot-state");
    expect(await botIn(NIGHT_OWLS)).toBeNull();
  });

  it("updates the permissions of a bot already there, as authorizing again does on Discord", async () => {
    const hq = seededGuildId("Emulator HQ");
    expect(await botIn(hq)).toMatchObject({ permissions: BOT_SEED_PERMISSIONS.toString() });
    await consent(botParams({ guild_id: hq }), { server: hq, permissions: [SEND_MESSAGES] });
    expect(await botIn(hq)).toMatchObject({ permissions: SEND_MESSAGES.toString() });
  });

  it("always asks where, even with prompt=none", async () => {
    await consent(botParams(), { server: NIGHT_OWLS });
    const again = await consentPage(botParams({ prompt: "none" }));
    expect(again.status).toBe(200);
    expect(await again.text()).toContain("Add to server");
  });
});
