import { describe, expect, it } from "vitest";
import { ADMINISTRATOR, ALL_PERMISSIONS, MANAGE_GUILD } from "../discord/permissions";
import { compareSnowflakes } from "../discord/snowflake";
import { api, login, seededId, useEmulator } from "../testing/harness";

const emulator = useEmulator();

interface GuildJson {
  id: string;
  name: string;
  icon: string | null;
  owner: boolean;
  permissions: string;
  approximate_member_count?: number;
}

async function hopperToken(): Promise<string> {
  return (await login(emulator(), seededId("guildhopper"), "identify guilds")).access_token;
}

const ids = (guilds: GuildJson[]) => guilds.map((guild) => guild.id);

describe("GET /users/@me/guilds", () => {
  it("lists the member's servers in id order with ownership and permissions", async () => {
    const { access_token } = await login(emulator(), seededId("nova"), "guilds");
    const { status, body } = await api(emulator(), "/users/@me/guilds", access_token);
    expect(status).toBe(200);
    const guilds = body as GuildJson[];
    expect(ids(guilds)).toEqual([...ids(guilds)].sort(compareSnowflakes));
    const byName = Object.fromEntries(guilds.map((guild) => [guild.name, guild]));
    expect(byName["Emulator HQ"]).toMatchObject({
      owner: true,
      permissions: ALL_PERMISSIONS.toString(),
      icon: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(BigInt(byName["Pine Forest"]!.permissions) & ADMINISTRATOR).toBe(ADMINISTRATOR);
    expect(byName["Pine Forest"]).toMatchObject({ owner: false, icon: null });
    expect(BigInt(byName["Night Owls"]!.permissions) & (MANAGE_GUILD | ADMINISTRATOR)).toBe(MANAGE_GUILD);
    expect(BigInt(byName["Quiet Corner"]!.permissions) & (MANAGE_GUILD | ADMINISTRATOR)).toBe(0n);
    expect(guilds[0]).not.toHaveProperty("approximate_member_count");
  });

  it("adds approximate counts with with_counts=true", async () => {
    const { access_token } = await login(emulator(), seededId("nova"), "guilds");
    const { body } = await api(emulator(), "/users/@me/guilds?with_counts=true", access_token);
    expect((body as GuildJson[]).find((guild) => guild.name === "Emulator HQ")).toMatchObject({
      approximate_member_count: 1523,
      approximate_presence_count: 412,
    });
  });

  it("pages through more than 200 servers with after, before and limit", async () => {
    const token = await hopperToken();
    const first = (await api(emulator(), "/users/@me/guilds", token)).body as GuildJson[];
    expect(first).toHaveLength(200);
    const second = (await api(emulator(), `/users/@me/guilds?after=${first.at(-1)!.id}`, token)).body as GuildJson[];
    expect(second.length).toBeGreaterThan(0);
    expect(second.length).toBeLessThan(200);
    const all = [...ids(first), ...ids(second)];
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual([...all].sort(compareSnowflakes));

    const backwards = (await api(emulator(), `/users/@me/guilds?before=${second[0]!.id}&limit=5`, token))
      .body as GuildJson[];
    expect(ids(backwards)).toEqual(ids(first).slice(-5));

    const limited = (await api(emulator(), `/users/@me/guilds?limit=3&after=${first[1]!.id}`, token))
      .body as GuildJson[];
    expect(ids(limited)).toEqual(ids(first).slice(2, 5));

    const window = (await api(emulator(), `/users/@me/guilds?after=${first[0]!.id}&before=${first[4]!.id}`, token))
      .body as GuildJson[];
    expect(ids(window)).toEqual(ids(first).slice(1, 4));
  });

  it.each([
    [
      "limit=0",
      { limit: { _errors: [{ code: "NUMBER_TYPE_MIN", message: "int value should be greater than or equal to 1." }] } },
    ],
    [
      "limit=201",
      { limit: { _errors: [{ code: "NUMBER_TYPE_MAX", message: "int value should be less than or equal to 200." }] } },
    ],
    ["limit=ten", { limit: { _errors: [{ code: "NUMBER_TYPE_COERCE", message: 'Value "ten" is not int.' }] } }],
    ["after=abc", { after: { _errors: [{ code: "NUMBER_TYPE_COERCE", message: 'Value "abc" is not snowflake.' }] } }],
    [
      "before=-1&with_counts=maybe",
      {
        before: { _errors: [{ code: "NUMBER_TYPE_COERCE", message: 'Value "-1" is not snowflake.' }] },
        with_counts: { _errors: [{ code: "BOOLEAN_TYPE_COERCE", message: 'Value "maybe" is not a valid boolean.' }] },
      },
    ],
  ])("answers 400 Invalid Form Body for %s", async (query, errors) => {
    const response = await api(emulator(), `/users/@me/guilds?${query}`, await hopperToken());
    expect(response).toMatchObject({ status: 400, body: { message: "Invalid Form Body", code: 50035, errors } });
  });

  it("answers 401 without the guilds scope", async () => {
    const { access_token } = await login(emulator(), seededId("nova"), "identify");
    expect(await api(emulator(), "/users/@me/guilds", access_token)).toMatchObject({
      status: 401,
      body: { message: "401: Unauthorized", code: 0 },
    });
  });
});
