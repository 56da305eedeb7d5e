import { describe, expect, it } from "vitest";
import { asBot } from "../../emulator/testing/bot";
import { answersOn, control, createAccount, login, seededGuildId, useEmulator } from "../../emulator/testing/harness";
import { DiscordBot } from "./bot-api.server";
import { BotRateLimiter } from "./bot-rate-limit.server";
import { DiscordError } from "./discord-error.server";

const emulator = useEmulator();
const HQ = seededGuildId("Emulator HQ");
const PINE_FOREST = seededGuildId("Pine Forest"); // the bot is not there
const LIMITS = { requestsPerSecond: 25, invalidPer10Minutes: 2_500, maxWaitMs: 2_000 };

function bot(token = emulator().botToken) {
  return new DiscordBot({ baseUrl: emulator().url, token, timeoutMs: 5_000 }, new BotRateLimiter(LIMITS));
}

async function channelNamed(guildId: string, name: string): Promise<string> {
  const { body } = await asBot(emulator(), "GET", `/guilds/${guildId}/channels`);
  return (body as { id: string; name: string }[]).find((channel) => channel.name === name)!.id;
}

async function failureOf(promise: Promise<unknown>) {
  const error: unknown = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(DiscordError);
  return (error as DiscordError).failure;
}

describe("the application's bot, over HTTP against the emulator", () => {
  it("knows who it is with the right token, and is told unauthorized with a wrong one", async () => {
    expect(await bot().me()).toMatchObject({ id: emulator().clientId });
    expect(await failureOf(bot("MTI5.wrong.token").me())).toEqual({ kind: "unauthorized" });
  });

  it("lists every server it is in, 200 to a page", async () => {
    const ids = await bot().guildIds();
    expect(ids).toHaveLength(201);
    expect(ids).toContain(HQ);
    expect(ids).not.toContain(PINE_FOREST);
    expect(await answersOn(emulator(), "guilds")).toBe(2);
  });

  it("reads a server with its counts and its channels, and nothing of a server it is not in", async () => {
    expect(await bot().guild(HQ)).toMatchObject({ id: HQ, name: "Emulator HQ", approximate_member_count: 1523 });
    expect((await bot().channels(HQ))?.map((channel) => channel.name)).toContain("welcome");
    expect(await bot().guild(PINE_FOREST)).toBeNull();
    expect(await bot().channels(PINE_FOREST)).toBeNull();
  });

  it("posts a message that pings nobody, and reports Discord's refusal by its code", async () => {
    const welcome = await channelNamed(HQ, "welcome");
    const posted = await bot().postMessage(welcome, "Welcome @everyone!");
    const { body: guild } = await control(emulator(), "GET", `/guilds/${HQ}`);
    const shown = guild.channels.find((channel: { id: string }) => channel.id === welcome).messages;
    expect(shown).toEqual([expect.objectContaining({ id: posted.id, content: "Welcome @everyone!" })]);

    const lounge = await channelNamed(HQ, "Lounge");
    expect(await failureOf(bot().postMessage(lounge, "hi"))).toEqual({ kind: "rejected", status: 403, code: "50013" });
  });

  it("stops before Discord has to refuse: a spent bucket is waited for, or refused here when the wait is long", async () => {
    await control(emulator(), "POST", "/rate-limits", { route: "channel_messages", limit: 2, window_seconds: 30 });
    const welcome = await channelNamed(HQ, "welcome");
    const sameBot = bot();
    await sameBot.postMessage(welcome, "one");
    await sameBot.postMessage(welcome, "two");
    const failure = await failureOf(sameBot.postMessage(welcome, "three"));
    expect(failure.kind).toBe("rate_limited");
    expect((failure as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(2);
    // The third was never sent: Discord saw two requests, and no 429 to count against the app.
    expect((await control(emulator(), "GET", "/counters")).body.api_calls.channel_messages).toEqual({ 200: 2 });
  });

  it("adds a person to a server with their guilds.join token: 201, then 204; Discord's refusals by code", async () => {
    const account = await createAccount(emulator(), "joinbyapp");
    const { access_token } = await login(emulator(), account.id, "identify guilds.join");
    // The seeded bot may see and post in HQ, not invite: Discord refuses until it may.
    expect(await failureOf(bot().addMember(HQ, account.id, access_token))).toEqual({
      kind: "rejected",
      status: 403,
      code: "50013",
    });
    await control(emulator(), "PUT", `/guilds/${HQ}/bot`, { permissions: String(1 | 1024 | 2048) });
    expect(await bot().addMember(HQ, account.id, access_token)).toEqual({ joined: "added", pending: false });
    expect(await bot().addMember(HQ, account.id, access_token)).toEqual({ joined: "already_member" });
    expect(await failureOf(bot().addMember(PINE_FOREST, account.id, access_token))).toMatchObject({ code: "10004" });
    const narrow = await login(emulator(), account.id, "identify");
    expect(await failureOf(bot().addMember(HQ, account.id, narrow.access_token))).toMatchObject({ code: "50025" });
  });
});
