import { describe, expect, it } from "vitest";
import { CREATE_INSTANT_INVITE, MANAGE_NICKNAMES, MANAGE_ROLES } from "../discord/permissions";
import { asBot } from "../testing/bot";
import { api, controlOk, createAccount, login, seededGuildId, seededId, useEmulator } from "../testing/harness";
import { responseValidator } from "../testing/openapi-validator";

const emulator = useEmulator();
const added = responseValidator("/guilds/{guild_id}/members/{user_id}", "put", "201");
const myMember = responseValidator("/users/@me/guilds/{guild_id}/member", "get", "200");

/** A server of its own for a test, with a role, the bot in it holding `botPermissions`. */
async function server(name: string, botPermissions: bigint, options: { membership_screening?: boolean } = {}) {
  const owner = await createAccount(emulator(), `${name.toLowerCase()}owner`);
  const guild = await controlOk(emulator(), "POST", "/guilds", {
    name,
    owner_id: owner.id,
    roles: [{ name: "Verified" }],
    ...options,
  });
  await controlOk(emulator(), "PUT", `/guilds/${guild.id}/bot`, { permissions: botPermissions.toString() });
  const roles = await controlOk(emulator(), "GET", `/guilds/${guild.id}`);
  return { id: guild.id as string, roleId: roles.roles.find((role: { name: string }) => role.name === "Verified").id };
}

/** Someone who logged in to the app with `scope`, and their access token. */
async function person(purpose: string, scope = "identify guilds.join") {
  const account = await createAccount(emulator(), purpose);
  const { access_token } = await login(emulator(), account.id, scope);
  return { id: account.id, token: access_token };
}

const join = (guildId: string, userId: string, body: unknown) =>
  asBot(emulator(), "PUT", `/guilds/${guildId}/members/${userId}`, {
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

describe("Add Guild Member (guilds.join)", () => {
  it("adds the person (201, a member object Discord's description accepts), then answers 204", async () => {
    const guild = await server("Joinable", CREATE_INSTANT_INVITE);
    const newcomer = await person("joiner", "identify guilds guilds.join guilds.members.read");
    const first = await join(guild.id, newcomer.id, { access_token: newcomer.token });
    expect(first.status).toBe(201);
    expect(added(first.body), JSON.stringify(added.errors)).toBe(true);
    expect(first.body).toMatchObject({ user: { id: newcomer.id }, roles: [], pending: false, nick: null });

    const again = await join(guild.id, newcomer.id, { access_token: newcomer.token });
    expect(again.status).toBe(204);
    expect(again.body).toBeUndefined();
    const theirs = await api(emulator(), "/users/@me/guilds", newcomer.token);
    expect(theirs.body.map((entry: { id: string }) => entry.id)).toContain(guild.id);
  });

  it("takes them as pending where membership screening is on, as their own member object says", async () => {
    const guild = await server("Screened", CREATE_INSTANT_INVITE, { membership_screening: true });
    const newcomer = await person("screened", "identify guilds.join guilds.members.read");
    const joined = await join(guild.id, newcomer.id, { access_token: newcomer.token });
    expect(joined.status).toBe(201);
    expect(joined.body.pending).toBe(true);
    const member = await api(emulator(), `/users/@me/guilds/${guild.id}/member`, newcomer.token);
    expect(member.body.pending).toBe(true);
    expect(myMember(member.body), JSON.stringify(myMember.errors)).toBe(true);
  });

  it("gives roles and a nickname only with the bot's Manage Roles and Manage Nicknames", async () => {
    const plain = await server("NoRoles", CREATE_INSTANT_INVITE);
    const newcomer = await person("rolesrefused");
    const refused = await join(plain.id, newcomer.id, { access_token: newcomer.token, roles: [plain.roleId] });
    expect(refused).toMatchObject({ status: 403, body: { code: 50013, message: "Missing Permissions" } });

    const able = await server("WithRoles", CREATE_INSTANT_INVITE | MANAGE_ROLES | MANAGE_NICKNAMES);
    const given = await join(able.id, newcomer.id, { access_token: newcomer.token, roles: [able.roleId], nick: "Neo" });
    expect(given.status).toBe(201);
    expect(given.body).toMatchObject({ roles: [able.roleId], nick: "Neo" });
    const unknown = await person("unknownrole");
    const wrongRole = await join(able.id, unknown.id, { access_token: unknown.token, roles: [plain.roleId] });
    expect(wrongRole).toMatchObject({ status: 400, body: { code: 50035, errors: { "roles.0": expect.anything() } } });
  });

  it("refuses without Create Invite (403), and where the bot is not (404)", async () => {
    const guild = await server("NoInvites", 0n);
    const newcomer = await person("noinvite");
    expect(await join(guild.id, newcomer.id, { access_token: newcomer.token })).toMatchObject({
      status: 403,
      body: { code: 50013 },
    });
    const pineForest = seededGuildId("Pine Forest"); // the bot is not there
    expect(await join(pineForest, newcomer.id, { access_token: newcomer.token })).toMatchObject({
      status: 404,
      body: { code: 10004, message: "Unknown Guild" },
    });
  });

  it("refuses a token without guilds.join, another person's, a revoked one and a bot's Bearer (50025, 401)", async () => {
    const guild = await server("Tokens", CREATE_INSTANT_INVITE);
    const narrow = await person("narrow", "identify guilds");
    const invalid = { status: 403, body: { code: 50025, message: "Invalid OAuth2 access token" } };
    expect(await join(guild.id, narrow.id, { access_token: narrow.token })).toMatchObject(invalid);
    const other = await person("other");
    expect(await join(guild.id, narrow.id, { access_token: other.token })).toMatchObject(invalid);
    await controlOk(emulator(), "POST", `/accounts/${other.id}/deauthorize`, {});
    expect(await join(guild.id, other.id, { access_token: other.token })).toMatchObject(invalid);
    const asPerson = await asBot(emulator(), "PUT", `/guilds/${guild.id}/members/${other.id}`, {
      body: JSON.stringify({ access_token: other.token }),
      authorization: `Bearer ${other.token}`,
    });
    expect(asPerson).toMatchObject({ status: 401, body: { code: 0 } });
  });

  it("names what is wrong with the body, as Discord's Invalid Form Body", async () => {
    const guild = await server("Bodies", CREATE_INSTANT_INVITE);
    const newcomer = await person("bodies");
    expect(await join(guild.id, newcomer.id, "{not json")).toMatchObject({ status: 400, body: { code: 50109 } });
    expect(await join(guild.id, newcomer.id, {})).toMatchObject({
      status: 400,
      body: { code: 50035, errors: { access_token: { _errors: [{ code: "BASE_TYPE_REQUIRED" }] } } },
    });
    expect(
      await join(guild.id, newcomer.id, { access_token: newcomer.token, roles: ["x"], mute: "yes" }),
    ).toMatchObject({ status: 400, body: { code: 50035, errors: { "roles.0": {}, mute: {} } } });
    expect(await join(guild.id, "not-a-user", { access_token: newcomer.token })).toMatchObject({
      status: 400,
      body: { code: 50035, errors: { user_id: {} } },
    });
  });

  it("refuses someone already in 100 servers (30001)", async () => {
    const guild = await server("Crowded", CREATE_INSTANT_INVITE);
    const { access_token } = await login(emulator(), seededId("guildhopper"), "identify guilds.join");
    expect(await join(guild.id, seededId("guildhopper"), { access_token })).toMatchObject({
      status: 400,
      body: { code: 30001 },
    });
  });
});
