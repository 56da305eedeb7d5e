import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as dashboard from "~/routes/dashboard";
import * as login from "~/routes/login";
import { CREATE_INSTANT_INVITE, MANAGE_ROLES, VIEW_CHANNEL } from "../../emulator/discord/permissions";
import {
  answersOn,
  callsOn,
  removeMember,
  seededGuildId,
  seededId,
  seededRoleId,
} from "../../emulator/testing/harness";
import { useTestApp } from "../../tests/support/app-harness";
import { answerConsent, finishLogin, logIn, startLogin } from "../../tests/support/login";
import { TestBrowser } from "../../tests/support/test-browser";

// Anyone may sign in, and everyone is added to Night Owls (given its Night Shift role) at
// their first sign-in, by the emulator's bot.
const NIGHT_OWLS = seededGuildId("Night Owls");
const NIGHT_SHIFT = seededRoleId("Night Owls", "Night Shift");
const app = useTestApp({
  env: (emulator) => ({
    DISCORD_SCOPES: "identify",
    DISCORD_BOT_TOKEN: emulator.botToken,
    JOIN_GUILD_ID: `${NIGHT_OWLS}=Night Owls`,
    JOIN_ROLE_IDS: NIGHT_SHIFT,
    // The operator's log is part of what is checked: warnings and errors, on stderr in tests.
    LOG_LEVEL: "warn",
  }),
});

/** The bot in Night Owls with `permissions` (after each reset: the seed has no Create Invite). */
const botHolds = (permissions: bigint) =>
  app().control("PUT", `/guilds/${NIGHT_OWLS}/bot`, { permissions: permissions.toString() });

let stderr: string[] = [];
beforeEach(async () => {
  await botHolds(CREATE_INSTANT_INVITE | MANAGE_ROLES | VIEW_CHANNEL);
  stderr = [];
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    stderr.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});

async function newcomer(name: string): Promise<string> {
  return (await app().control("POST", "/accounts", { username: name })).body.id as string;
}

const membersOfNightOwls = async () =>
  ((await app().control("GET", `/guilds/${NIGHT_OWLS}`)).body.members as { account_id: string; roles: string[] }[]) ??
  [];

const joinRecorded = (discordId: string) =>
  app()
    .db.selectFrom("community_joins")
    .innerJoin("users", "users.id", "community_joins.user_id")
    .select("community_joins.guild_id")
    .where("users.discord_id", "=", discordId)
    .execute();

describe("joining the community server at the first sign-in", () => {
  it("adds a newcomer with the role, says so, and does not add them again", async () => {
    const id = await newcomer("firstnight");
    const browser = new TestBrowser();
    const authorizeUrl = await startLogin(browser);
    expect(authorizeUrl.searchParams.get("scope")).toBe("identify guilds.join");

    const back = await finishLogin(browser, await answerConsent(app(), authorizeUrl, { username: id }));
    expect(back).toMatchObject({ status: 302, location: "/dashboard" });
    // The login's Discord calls: the code exchange, who it is, and the join.
    expect(await callsOn(app().emulator, "token")).toEqual({ "200": 1 });
    expect(await callsOn(app().emulator, "users_me")).toEqual({ "200": 1 });
    expect(await callsOn(app().emulator, "add_guild_member")).toEqual({ "201": 1 });
    expect(await browser.notice()).toEqual({ kind: "success", message: "You joined Night Owls on Discord." });
    const member = (await membersOfNightOwls()).find((entry) => entry.account_id === id);
    expect(member?.roles).toEqual([NIGHT_SHIFT]);
    expect(await joinRecorded(id)).toEqual([{ guild_id: NIGHT_OWLS }]);

    // Someone who leaves is not added back at their next sign-in.
    await removeMember(app().emulator, NIGHT_OWLS, id);
    const again = new TestBrowser();
    expect(await logIn(app(), again, id)).toMatchObject({ status: 302, location: "/dashboard" });
    expect(await answersOn(app().emulator, "add_guild_member")).toBe(1);
    expect(await again.notice()).toBeNull();
    expect((await membersOfNightOwls()).some((entry) => entry.account_id === id)).toBe(false);
  });

  it("records someone already in without a word (204)", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "nova"); // a member of Night Owls in the seed
    expect(await callsOn(app().emulator, "add_guild_member")).toEqual({ "204": 1 });
    expect(await browser.notice()).toBeNull();
    expect(await joinRecorded(seededId("nova"))).toEqual([{ guild_id: NIGHT_OWLS }]);
  });

  it("logs in anyway when the bot is not in the server, tells both sides, and joins at the next sign-in", async () => {
    await app().control("DELETE", `/guilds/${NIGHT_OWLS}/bot`);
    const id = await newcomer("nobotnight");
    const browser = new TestBrowser();
    expect(await logIn(app(), browser, id)).toMatchObject({ status: 302, location: "/dashboard" });
    expect((await browser.get(dashboard.loader, "/dashboard")).status).toBe(200);
    expect(await browser.notice()).toEqual({
      kind: "info",
      message:
        "Remix Discord Login could not add you to Night Owls on Discord: the server is not set up for it yet, and the site's operator has been told. It will be tried again when you next log in.",
    });
    expect(await callsOn(app().emulator, "add_guild_member")).toEqual({ "404": 1 });
    const logged = stderr.join("");
    expect(logged).toContain("could not add a person to the community server at sign-in");
    expect(logged).toContain("reason=bot_not_in_server");
    expect(logged).toContain("fix=the bot is not in JOIN_GUILD_ID's server");
    expect(await joinRecorded(id)).toEqual([]);

    await botHolds(CREATE_INSTANT_INVITE | MANAGE_ROLES);
    await logIn(app(), new TestBrowser(), id);
    expect(await callsOn(app().emulator, "add_guild_member")).toEqual({ "404": 1, "201": 1 });
    expect(await joinRecorded(id)).toEqual([{ guild_id: NIGHT_OWLS }]);
  });

  it("names the missing permission to the operator: Create Invite, or Manage Roles for the roles (50013)", async () => {
    await botHolds(CREATE_INSTANT_INVITE); // no Manage Roles, so JOIN_ROLE_IDS cannot be given
    const browser = new TestBrowser();
    expect(await logIn(app(), browser, await newcomer("norolesnight"))).toMatchObject({ status: 302 });
    expect(await callsOn(app().emulator, "add_guild_member")).toEqual({ "403": 1 });
    expect((await browser.notice())?.message).toContain("the server is not set up for it yet");
    expect(stderr.join("")).toContain("reason=bot_lacks_permission");
  });

  it("logs in within DISCORD_TIMEOUT_MS when the join hangs, and says Discord did not answer", async () => {
    await app().control("POST", "/faults", { route: "add_guild_member", count: 1, delay_ms: 4_000 });
    const browser = new TestBrowser();
    expect(await logIn(app(), browser, await newcomer("slownight"))).toMatchObject({ status: 302 });
    expect((await browser.notice())?.message).toContain("Discord did not answer.");
  });

  it("never puts a token in the log", async () => {
    await app().control("DELETE", `/guilds/${NIGHT_OWLS}/bot`);
    const id = await newcomer("quietnight");
    await logIn(app(), new TestBrowser(), id);
    const logged = stderr.join("");
    expect(logged).toContain(id);
    for (const token of await app().issuedTokens(id)) expect(logged).not.toContain(token);
  });

  it("says on the login page that the first sign-in joins the server", async () => {
    const page = await new TestBrowser().get(login.loader, "/login");
    expect(page.data).toMatchObject({
      joins: "Night Owls",
      asks: "your username and avatar and adding you to servers",
    });
  });
  // Last: the bot's rate limiter then keeps the route closed for the 7 s Discord asked.
  it("tells the person to wait when Discord rate limits the bot (429)", async () => {
    await app().control("POST", "/faults", { route: "add_guild_member", count: 1, status: 429, retry_after: 7 });
    const browser = new TestBrowser();
    expect(await logIn(app(), browser, await newcomer("busynight"))).toMatchObject({ status: 302 });
    expect(await browser.notice()).toEqual({
      kind: "info",
      message:
        "Remix Discord Login could not add you to Night Owls on Discord: Discord asked to wait 7 seconds. It will be tried again when you next log in.",
    });
    expect(stderr.join("")).toContain("reason=rate_limited");
  });
});
