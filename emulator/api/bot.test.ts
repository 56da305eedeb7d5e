import type { ValidateFunction } from "ajv/dist/2020";
import { describe, expect, it } from "vitest";
import { BOT_SEED_PERMISSIONS } from "../discord/permissions";
import { startEmulator } from "../server";
import { MESSAGES_KEPT_PER_CHANNEL } from "../state/messages";
import { seedGuilds } from "../state/seed-guilds";
import { asBot } from "../testing/bot";
import { control, login, seededGuildId, seededId, useEmulator } from "../testing/harness";
import { responseValidator } from "../testing/openapi-validator";

const emulator = useEmulator();
const HQ = seededGuildId("Emulator HQ");
const PINE_FOREST = seededGuildId("Pine Forest"); // the bot is not there

const validators = {
  usersMe: responseValidator("/users/@me", "get", "200"),
  myGuilds: responseValidator("/users/@me/guilds", "get", "200"),
  guild: responseValidator("/guilds/{guild_id}", "get", "200"),
  channels: responseValidator("/guilds/{guild_id}/channels", "get", "200"),
  message: responseValidator("/channels/{channel_id}/messages", "post", "200"),
};

function expectValid(validate: ValidateFunction, body: unknown): void {
  const valid = validate(body);
  expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
  expect(valid).toBe(true);
}

async function channelOf(guildId: string, name: string): Promise<string> {
  const { body } = await asBot(emulator(), "GET", `/guilds/${guildId}/channels`);
  const channel = (body as { id: string; name: string }[]).find((candidate) => candidate.name === name);
  if (!channel) throw new Error(`no #${name} in ${guildId}`);
  return channel.id;
}

const post = (channelId: string, body: string) =>
  asBot(emulator(), "POST", `/channels/${channelId}/messages`, { body });

describe("the application's bot", () => {
  it("reads itself with its token, as a bot user of the application's id", async () => {
    const me = await asBot(emulator(), "GET", "/users/@me");
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: emulator().clientId, bot: true });
    expectValid(validators.usersMe, me.body);
  });

  it("keeps its token across restarts with the same client secret, and only then", async () => {
    const again = await startEmulator({ port: 0 });
    const otherSecret = await startEmulator({ port: 0, clientSecret: "another-client-secret" });
    try {
      expect(again.botToken).toBe(emulator().botToken);
      expect(otherSecret.botToken).not.toBe(emulator().botToken);
      expect(emulator().botToken).toMatch(/^[\w-]+\.[\w-]{6}\.[\w-]{38}$/);
    } finally {
      await Promise.all([again.close(), otherSecret.close()]);
    }
  });

  it("refuses a wrong bot token, a person's Bearer token and none with 401, on every bot route", async () => {
    const person = await login(emulator(), seededId("nova"), "identify guilds");
    const channel = await channelOf(HQ, "welcome");
    for (const authorization of ["Bot not-the-token", `Bearer ${person.access_token}`, ""]) {
      for (const [method, path] of [
        ["GET", `/guilds/${HQ}`],
        ["GET", `/guilds/${HQ}/channels`],
        ["POST", `/channels/${channel}/messages`],
      ] as const) {
        const body = method === "POST" ? '{"content":"hi"}' : undefined;
        const answer = await asBot(emulator(), method, path, { authorization, body });
        expect(answer.status, `${method} ${path} with "${authorization.slice(0, 10)}"`).toBe(401);
        expect(answer.body).toEqual({ message: "401: Unauthorized", code: 0 });
      }
    }
  });

  it("lists the servers it is in, 200 to a page, in id order, with the permissions it holds", async () => {
    const first = await asBot(emulator(), "GET", "/users/@me/guilds?limit=200");
    expect(first.status).toBe(200);
    expectValid(validators.myGuilds, first.body);
    expect(first.body).toHaveLength(200);
    const last = first.body.at(-1).id as string;
    const second = await asBot(emulator(), "GET", `/users/@me/guilds?limit=200&after=${last}`);
    const all = [...first.body, ...second.body] as { id: string; permissions: string; owner: boolean }[];
    const expected = seedGuilds().filter((seed) => seed.bot !== null);
    expect(all.map((guild) => guild.id).sort()).toEqual(expected.map((seed) => seed.guild.id).sort());
    expect(all.length).toBeGreaterThan(200);
    expect(all.map((guild) => guild.id)).toContain(HQ);
    expect(all.map((guild) => guild.id)).not.toContain(PINE_FOREST);
    expect(new Set(all.map((guild) => guild.permissions))).toEqual(new Set([BOT_SEED_PERMISSIONS.toString()]));
    expect(all.every((guild) => !guild.owner)).toBe(true);
  });

  it("reads a server it is in, with counts when asked, and nothing of one it is not in", async () => {
    const withCounts = await asBot(emulator(), "GET", `/guilds/${HQ}?with_counts=true`);
    expect(withCounts.status).toBe(200);
    expectValid(validators.guild, withCounts.body);
    expect(withCounts.body).toMatchObject({ id: HQ, name: "Emulator HQ", approximate_member_count: 1523 });
    expect(withCounts.body.roles[0]).toMatchObject({ id: HQ, name: "@everyone" });

    const plain = await asBot(emulator(), "GET", `/guilds/${HQ}`);
    expect(plain.body).not.toHaveProperty("approximate_member_count");

    // Since 2023 a server the bot is not in answers like one that does not exist.
    for (const guildId of [PINE_FOREST, "1234567890123456789"]) {
      const answer = await asBot(emulator(), "GET", `/guilds/${guildId}?with_counts=true`);
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual({ message: "Unknown Guild", code: 10004 });
    }
    const malformed = await asBot(emulator(), "GET", "/guilds/not-an-id");
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors.guild_id._errors[0].code).toBe("NUMBER_TYPE_COERCE");
  });

  it("reads a server's channels: categories, text, announcement and voice", async () => {
    const answer = await asBot(emulator(), "GET", `/guilds/${HQ}/channels`);
    expect(answer.status).toBe(200);
    expectValid(validators.channels, answer.body);
    const byName = new Map((answer.body as { name: string; type: number }[]).map((channel) => [channel.name, channel]));
    expect(byName.get("general")?.type).toBe(0);
    expect(byName.get("welcome")?.type).toBe(0);
    expect(byName.get("announcements")?.type).toBe(5); // Emulator HQ has the NEWS feature
    expect(byName.get("Lounge")?.type).toBe(2);
    expect(byName.get("Text Channels")?.type).toBe(4);
    expect((await asBot(emulator(), "GET", `/guilds/${PINE_FOREST}/channels`)).status).toBe(404);
  });

  it("posts a message to a text channel, and the emulator shows it on that channel", async () => {
    const welcome = await channelOf(HQ, "welcome");
    const answer = await post(welcome, JSON.stringify({ content: "Welcome, <b>newcomer</b> 🎉" }));
    expect(answer.status).toBe(200);
    expectValid(validators.message, answer.body);
    expect(answer.body).toMatchObject({
      channel_id: welcome,
      content: "Welcome, <b>newcomer</b> 🎉",
      author: { id: emulator().clientId, bot: true },
    });
    const { body: guild } = await control(emulator(), "GET", `/guilds/${HQ}`);
    const shown = guild.channels.find((channel: { id: string }) => channel.id === welcome);
    expect(shown.messages).toEqual([
      expect.objectContaining({ id: answer.body.id, content: "Welcome, <b>newcomer</b> 🎉" }),
    ]);
  });

  it("refuses what Discord refuses: empty, too long, not JSON, a voice channel, unknown, out of reach", async () => {
    const welcome = await channelOf(HQ, "welcome");
    const refusals: [string, string, number, unknown][] = [
      [welcome, JSON.stringify({ content: "   " }), 400, { message: "Cannot send an empty message", code: 50006 }],
      [welcome, "{}", 400, { message: "Cannot send an empty message", code: 50006 }],
      [welcome, "{not json", 400, { message: "The request body contains invalid JSON.", code: 50109 }],
      [await channelOf(HQ, "Lounge"), '{"content":"hi"}', 403, { message: "Missing Permissions", code: 50013 }],
      ["1234567890123456789", '{"content":"hi"}', 404, { message: "Unknown Channel", code: 10003 }],
    ];
    for (const [channel, body, status, error] of refusals) {
      const answer = await post(channel, body);
      expect(answer.status, body).toBe(status);
      expect(answer.body).toEqual(error);
    }
    // 2,000 characters (not UTF-16 units) is the most; one more is named as Discord names it.
    expect((await post(welcome, JSON.stringify({ content: "🎉".repeat(2000) }))).status).toBe(200);
    const tooLong = await post(welcome, JSON.stringify({ content: "🎉".repeat(2001) }));
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors.content._errors[0].code).toBe("BASE_TYPE_MAX_LENGTH");

    // #general of a server the bot is not in: the channel exists, the bot cannot reach it.
    const { body: pine } = await control(emulator(), "GET", `/guilds/${PINE_FOREST}`);
    const pineGeneral = pine.channels.find((channel: { name: string }) => channel.name === "general").id as string;
    expect((await post(pineGeneral, '{"content":"hi"}')).body).toEqual({ message: "Missing Access", code: 50001 });
  });

  it("follows the control API: permissions taken away, removed, added back", async () => {
    const welcome = await channelOf(HQ, "welcome");
    expect((await control(emulator(), "PUT", `/guilds/${HQ}/bot`, { permissions: "0" })).status).toBe(200);
    expect((await post(welcome, '{"content":"hi"}')).body).toEqual({ message: "Missing Permissions", code: 50013 });

    expect((await control(emulator(), "DELETE", `/guilds/${HQ}/bot`)).status).toBe(204);
    expect((await asBot(emulator(), "GET", `/guilds/${HQ}`)).status).toBe(404);
    const listed = await asBot(emulator(), "GET", `/users/@me/guilds?before=${PINE_FOREST}&limit=200`);
    expect(listed.body.map((guild: { id: string }) => guild.id)).not.toContain(HQ);

    const added = await control(emulator(), "PUT", `/guilds/${PINE_FOREST}/bot`, {});
    expect(added.status).toBe(201);
    expect(added.body.permissions).toBe(BOT_SEED_PERMISSIONS.toString());
    expect((await asBot(emulator(), "GET", `/guilds/${PINE_FOREST}`)).status).toBe(200);
  });

  it(`keeps the newest ${MESSAGES_KEPT_PER_CHANNEL} messages per channel, however many are posted`, async () => {
    const general = await channelOf(HQ, "general");
    for (let index = 1; index <= MESSAGES_KEPT_PER_CHANNEL + 5; index += 1) {
      expect((await post(general, JSON.stringify({ content: `message ${index}` }))).status).toBe(200);
    }
    const { body: guild } = await control(emulator(), "GET", `/guilds/${HQ}`);
    const kept = guild.channels.find((channel: { id: string }) => channel.id === general).messages;
    expect(kept).toHaveLength(MESSAGES_KEPT_PER_CHANNEL);
    expect(kept[0].content).toBe("message 6");
    expect(kept.at(-1).content).toBe(`message ${MESSAGES_KEPT_PER_CHANNEL + 5}`);
  });
});

describe("the emulator's server page", () => {
  it("shows each text channel with what the bot posted there, as text, whatever it contains", async () => {
    const welcome = await channelOf(HQ, "welcome");
    await post(welcome, JSON.stringify({ content: '<script>alert("x")</script> & welcome' }));
    const response = await fetch(`${emulator().url}/channels/${HQ}`);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).not.toMatch(/<script/i);
    expect(page).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; welcome");
    expect(page).toContain("<h2>#welcome</h2>");
    expect(page).toContain("Discord Emulator App is in this server.");
    expect(page).not.toContain("#Lounge"); // voice channels take no messages
    expect((await fetch(`${emulator().url}/channels/1234567890123456789`)).status).toBe(404);
  });
});
