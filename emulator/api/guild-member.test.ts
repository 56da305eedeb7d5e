import { describe, expect, it } from "vitest";
import {
  REDIRECT_URI,
  api,
  control,
  login,
  seededGuildId,
  seededId,
  seededRoleId,
  useEmulator,
} from "../testing/harness";

const emulator = useEmulator();
const MEMBER_SCOPES = "identify guilds guilds.members.read";
const HQ = seededGuildId("Emulator HQ");
const hqRole = (name: string) => seededRoleId("Emulator HQ", name);

async function memberToken(username: string, scope = MEMBER_SCOPES): Promise<string> {
  return (await login(emulator(), seededId(username), scope)).access_token;
}

describe("the guilds.members.read scope", () => {
  it("is asked for in words on the consent page, and granted", async () => {
    const query = new URLSearchParams({
      client_id: emulator().clientId,
      redirect_uri: REDIRECT_URI,
      response_type: "code",
      scope: MEMBER_SCOPES,
    });
    const page = await fetch(`${emulator().url}/oauth2/authorize?${query}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Read your member info (nickname, avatar, roles) in servers you belong to");
    const { scope } = await login(emulator(), seededId("nova"), MEMBER_SCOPES);
    expect(scope.split(" ")).toContain("guilds.members.read");
  });
});

describe("GET /users/@me/guilds/{guild_id}/member", () => {
  it("returns the caller's member object with their roles, nickname and join date", async () => {
    const { status, body } = await api(emulator(), `/users/@me/guilds/${HQ}/member`, await memberToken("legacyfox"));
    expect(status).toBe(200);
    expect(body).toMatchObject({
      user: { id: seededId("legacyfox"), username: "legacyfox", discriminator: "4821" },
      nick: "Fox",
      avatar: null,
      banner: null,
      premium_since: null,
      pending: false,
      mute: false,
      deaf: false,
      flags: 0,
      communication_disabled_until: null,
    });
    expect(new Set(body.roles)).toEqual(new Set([hqRole("Moderator"), hqRole("Member")]));
    expect(body.roles).not.toContain(HQ); // @everyone is implied, never listed
    expect(body.joined_at).toBe(new Date(body.joined_at).toISOString());
    expect(body).not.toHaveProperty("email");
  });

  it.each([
    ["nova", ["Member", "Moderator"]],
    ["pixelpine", ["Member", "Supporter"]],
    ["ursa.minor", ["Member"]],
    ["guildhopper", []],
  ])("reports %s in Emulator HQ with roles %o", async (username, roleNames) => {
    const { status, body } = await api(emulator(), `/users/@me/guilds/${HQ}/member`, await memberToken(username));
    expect(status).toBe(200);
    expect([...body.roles].sort()).toEqual(roleNames.map(hqRole).sort());
    expect(body.nick).toBeNull();
  });

  it("is the same for a server with no role and on the unversioned path", async () => {
    const token = await memberToken("guildhopper");
    const response = await fetch(`${emulator().url}/api/users/@me/guilds/${seededGuildId("Hopper Hub 001")}/member`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ roles: [], user: { username: "guildhopper" } });
  });

  it("answers 404 Unknown Guild when the account is not a member, or the server does not exist", async () => {
    const unknown = { status: 404, body: { message: "Unknown Guild", code: 10004 } };
    const quietfern = await memberToken("quietfern");
    expect(await api(emulator(), `/users/@me/guilds/${HQ}/member`, quietfern)).toMatchObject(unknown);
    expect(await api(emulator(), "/users/@me/guilds/1234567890123456789/member", quietfern)).toMatchObject(unknown);
    // quietfern is in other servers, and sees those.
    const pine = await api(emulator(), `/users/@me/guilds/${seededGuildId("Pine Forest")}/member`, quietfern);
    expect(pine).toMatchObject({ status: 200, body: { nick: "Fern" } });
  });

  it("answers 400 Invalid Form Body for a guild id that is not a snowflake", async () => {
    const response = await api(emulator(), "/users/@me/guilds/emulator-hq/member", await memberToken("nova"));
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      message: "Invalid Form Body",
      code: 50035,
      errors: {
        guild_id: { _errors: [{ code: "NUMBER_TYPE_COERCE", message: 'Value "emulator-hq" is not snowflake.' }] },
      },
    });
  });

  it("answers 403 Missing Access for a valid token without guilds.members.read", async () => {
    const token = await memberToken("nova", "identify email guilds");
    expect(await api(emulator(), `/users/@me/guilds/${HQ}/member`, token)).toMatchObject({
      status: 403,
      body: { message: "Missing Access", code: 50001 },
    });
    // The scope is checked before anything about the server is revealed.
    expect((await api(emulator(), "/users/@me/guilds/1/member", token)).status).toBe(403);
  });

  it.each([
    ["no Authorization header", undefined],
    ["an unknown token", "notatoken"],
  ])("answers 401 for %s", async (_, token) => {
    expect(await api(emulator(), `/users/@me/guilds/${HQ}/member`, token)).toMatchObject({
      status: 401,
      body: { message: "401: Unauthorized", code: 0 },
    });
  });

  it("answers 401 once the token has expired", async () => {
    const token = await memberToken("nova");
    await control(emulator(), "POST", `/accounts/${seededId("nova")}/expire-tokens`);
    expect((await api(emulator(), `/users/@me/guilds/${HQ}/member`, token)).status).toBe(401);
  });
});
