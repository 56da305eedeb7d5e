import { describe, expect, it } from "vitest";
import { ALL_PERMISSIONS, ORDINARY_MEMBER } from "../discord/permissions";
import {
  api,
  control,
  giveRole,
  login,
  removeMember,
  removeRole,
  seededGuildId,
  seededId,
  seededRoleId,
  useEmulator,
} from "../testing/harness";

const emulator = useEmulator();
const HQ = seededGuildId("Emulator HQ");
const hqRole = (name: string) => seededRoleId("Emulator HQ", name);
const MEMBER_SCOPES = "identify guilds guilds.members.read";

async function tokenOf(username: string): Promise<string> {
  return (await login(emulator(), seededId(username), MEMBER_SCOPES)).access_token;
}

/** What the app would see: the member object (or its error) and whether the server is listed. */
async function seenBy(token: string, guildId: string) {
  const member = await api(emulator(), `/users/@me/guilds/${guildId}/member`, token);
  const guilds = (await api(emulator(), "/users/@me/guilds", token)).body as { id: string }[];
  return { member, listed: guilds.some((guild) => guild.id === guildId) };
}

describe("GET /_emulator/guilds/{id}", () => {
  it("shows a seeded server's roles, members and invite", async () => {
    const { status, body } = await control(emulator(), "GET", `/guilds/${HQ}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: HQ, name: "Emulator HQ", owner_id: seededId("nova"), invite_code: "emulator-hq" });
    expect(body.roles).toEqual([
      { id: hqRole("Member"), name: "Member", color: expect.any(Number), position: 1 },
      { id: hqRole("Supporter"), name: "Supporter", color: expect.any(Number), position: 2 },
      { id: hqRole("Moderator"), name: "Moderator", color: expect.any(Number), position: 3 },
    ]);
    const byId = Object.fromEntries(body.members.map((member: { account_id: string }) => [member.account_id, member]));
    expect(byId[seededId("nova")]).toMatchObject({
      permissions: ALL_PERMISSIONS.toString(),
      roles: [hqRole("Member"), hqRole("Moderator")],
      nick: null,
    });
    expect(byId[seededId("guildhopper")]).toMatchObject({ roles: [], permissions: ORDINARY_MEMBER.toString() });
    expect(byId[seededId("quietfern")]).toBeUndefined();
    expect(byId[seededId("legacyfox")]).toMatchObject({ nick: "Fox", joined_at: "2017-01-11T15:00:00.000Z" });
    // Not before the account existed (2020-11-20), though listed before legacyfox.
    expect(byId[seededId("ursa.minor")].joined_at).toBe("2020-11-22T21:45:00.000Z");
  });

  it("answers 404 for an unknown server", async () => {
    expect(await control(emulator(), "GET", "/guilds/42")).toMatchObject({ status: 404, body: { error: "not_found" } });
  });
});

describe("POST /_emulator/guilds with roles", () => {
  it("creates the roles, gives them to members by name and answers with ids and the invite", async () => {
    const nova = seededId("nova");
    const pixel = seededId("pixelpine");
    const created = await control(emulator(), "POST", "/guilds", {
      name: "Role Play",
      owner_id: nova,
      roles: [{ name: "Crew", color: 0x00ff00 }, { name: "Captain" }],
      members: [{ account_id: pixel, roles: ["Crew", "Captain", "Crew"], nick: "Pix" }],
    });
    expect(created.status).toBe(201);
    const [crew, captain] = created.body.roles;
    expect(crew).toMatchObject({ name: "Crew", color: 0x00ff00, position: 1 });
    expect(captain).toMatchObject({ name: "Captain", color: 0, position: 2 });
    expect(created.body.members).toEqual([
      expect.objectContaining({ account_id: pixel, roles: [crew.id, captain.id], nick: "Pix" }),
      expect.objectContaining({ account_id: nova, roles: [], permissions: ALL_PERMISSIONS.toString() }),
    ]);
    expect((await control(emulator(), "GET", `/guilds/${created.body.id}`)).body).toEqual(created.body);

    const { member } = await seenBy(await tokenOf("pixelpine"), created.body.id);
    expect(member).toMatchObject({ status: 200, body: { roles: [crew.id, captain.id], nick: "Pix" } });
  });

  it.each([
    [{ name: "Server", roles: [{ name: "A" }, { name: "A" }] }, "roles"],
    [{ name: "Server", roles: [{ name: "A", color: 0x1000000 }] }, "roles.0.color"],
    [{ name: "Server", roles: [{ name: "" }] }, "roles.0.name"],
    [{ name: "Server", members: [{ account_id: seededId("nova"), roles: ["Nope"] }] }, "members.0.roles.0"],
    [{ name: "Server", members: [{ account_id: seededId("nova"), nick: "x".repeat(33) }] }, "members.0.nick"],
  ])("rejects %o naming %s", async (body, field) => {
    expect(await control(emulator(), "POST", "/guilds", body)).toMatchObject({
      status: 400,
      body: { error: "invalid_body", field },
    });
  });
});

describe("POST /_emulator/guilds/{id}/roles", () => {
  it("adds a role above the others that can then be given", async () => {
    const created = await control(emulator(), "POST", `/guilds/${HQ}/roles`, { name: "Beta Tester", color: 0x123456 });
    expect(created).toMatchObject({ status: 201, body: { name: "Beta Tester", color: 0x123456, position: 4 } });
    await giveRole(emulator(), HQ, seededId("guildhopper"), created.body.id);
    const { member } = await seenBy(await tokenOf("guildhopper"), HQ);
    expect(member.body.roles).toEqual([created.body.id]);
  });

  it("answers 404 for an unknown server and 400 for a bad role", async () => {
    expect((await control(emulator(), "POST", "/guilds/42/roles", { name: "X" })).status).toBe(404);
    expect(await control(emulator(), "POST", `/guilds/${HQ}/roles`, { name: "X", hoist: true })).toMatchObject({
      status: 400,
      body: { field: "hoist" },
    });
  });
});

describe("PUT /_emulator/guilds/{id}/members/{account_id}", () => {
  it("adds a member (201), then updates them (200), visible to the app at once", async () => {
    const quietfern = seededId("quietfern");
    const token = await tokenOf("quietfern");
    expect(await seenBy(token, HQ)).toMatchObject({ member: { status: 404 }, listed: false });

    const added = await control(emulator(), "PUT", `/guilds/${HQ}/members/${quietfern}`);
    expect(added).toMatchObject({
      status: 201,
      body: { account_id: quietfern, roles: [], nick: null, permissions: ORDINARY_MEMBER.toString() },
    });
    expect(await seenBy(token, HQ)).toMatchObject({ member: { status: 200, body: { roles: [] } }, listed: true });

    const updated = await control(emulator(), "PUT", `/guilds/${HQ}/members/${quietfern}`, {
      roles: [hqRole("Member")],
      nick: "Fern",
      permissions: "8",
    });
    expect(updated).toMatchObject({ status: 200, body: { roles: [hqRole("Member")], nick: "Fern", permissions: "8" } });
    expect(updated.body.joined_at).toBe(added.body.joined_at);
    const { member } = await seenBy(token, HQ);
    expect(member.body).toMatchObject({ roles: [hqRole("Member")], nick: "Fern" });

    const unchanged = await control(emulator(), "PUT", `/guilds/${HQ}/members/${quietfern}`, { nick: null });
    expect(unchanged.body).toMatchObject({ roles: [hqRole("Member")], nick: null, permissions: "8" });
  });

  it("keeps every permission for the owner", async () => {
    const owner = await control(emulator(), "PUT", `/guilds/${HQ}/members/${seededId("nova")}`, { permissions: "0" });
    expect(owner).toMatchObject({ status: 200, body: { permissions: ALL_PERMISSIONS.toString() } });
  });

  const notFound = { status: 404, body: { error: "not_found" } };
  const invalid = (field: string) => ({ status: 400, body: { error: "invalid_body", field } });
  it.each([
    ["an unknown server", "/guilds/42/members/ACCOUNT", {}, notFound],
    ["an unknown account", `/guilds/${HQ}/members/42`, {}, notFound],
    [
      "a role of another server",
      `/guilds/${HQ}/members/ACCOUNT`,
      { roles: [seededRoleId("Pine Forest", "Ranger")] },
      invalid("roles.0"),
    ],
    ["@everyone as a role", `/guilds/${HQ}/members/ACCOUNT`, { roles: [HQ] }, invalid("roles.0")],
    ["a nickname that is too long", `/guilds/${HQ}/members/ACCOUNT`, { nick: "x".repeat(33) }, invalid("nick")],
  ])("refuses %s", async (_, path, body, expected) => {
    const response = await control(emulator(), "PUT", path.replace("ACCOUNT", seededId("quietfern")), body);
    expect(response).toMatchObject(expected);
    expect((await control(emulator(), "GET", `/guilds/${HQ}`)).body.members).not.toContainEqual(
      expect.objectContaining({ account_id: seededId("quietfern") }),
    );
  });
});

describe("DELETE /_emulator/guilds/{id}/members/{account_id}", () => {
  it("removes the member: the member endpoint and the server list drop it at once", async () => {
    const token = await tokenOf("pixelpine");
    expect(await seenBy(token, HQ)).toMatchObject({ member: { status: 200 }, listed: true });
    await removeMember(emulator(), HQ, seededId("pixelpine"));
    expect(await seenBy(token, HQ)).toMatchObject({
      member: { status: 404, body: { message: "Unknown Guild", code: 10004 } },
      listed: false,
    });
    expect((await control(emulator(), "DELETE", `/guilds/${HQ}/members/${seededId("pixelpine")}`)).status).toBe(404);
  });

  it("refuses to remove the owner", async () => {
    expect(await control(emulator(), "DELETE", `/guilds/${HQ}/members/${seededId("nova")}`)).toMatchObject({
      status: 400,
      body: { error: "invalid_request" },
    });
    expect((await seenBy(await tokenOf("nova"), HQ)).member.status).toBe(200);
  });

  it("answers 404 for an unknown server or someone who never was a member", async () => {
    expect((await control(emulator(), "DELETE", `/guilds/42/members/${seededId("nova")}`)).status).toBe(404);
    expect((await control(emulator(), "DELETE", `/guilds/${HQ}/members/${seededId("quietfern")}`)).status).toBe(404);
  });
});

describe("PUT and DELETE /_emulator/guilds/{id}/members/{account_id}/roles/{role_id}", () => {
  it("takes a role away and gives it back, seen by the member endpoint at once", async () => {
    const token = await tokenOf("pixelpine");
    const pixel = seededId("pixelpine");
    await removeRole(emulator(), HQ, pixel, hqRole("Supporter"));
    expect((await seenBy(token, HQ)).member.body.roles).toEqual([hqRole("Member")]);
    await removeRole(emulator(), HQ, pixel, hqRole("Supporter")); // not held: still 204, as on Discord
    await giveRole(emulator(), HQ, pixel, hqRole("Moderator"));
    await giveRole(emulator(), HQ, pixel, hqRole("Moderator"));
    expect((await seenBy(token, HQ)).member.body.roles).toEqual([hqRole("Member"), hqRole("Moderator")]);
  });

  it.each([
    ["an unknown server", `/guilds/42/members/${seededId("nova")}/roles/${seededRoleId("Emulator HQ", "Member")}`],
    ["a non-member", `/guilds/${HQ}/members/${seededId("quietfern")}/roles/${seededRoleId("Emulator HQ", "Member")}`],
    ["an unknown role", `/guilds/${HQ}/members/${seededId("nova")}/roles/42`],
    [
      "a role of another server",
      `/guilds/${HQ}/members/${seededId("nova")}/roles/${seededRoleId("Night Owls", "Night Shift")}`,
    ],
  ])("answers 404 for %s", async (_, path) => {
    for (const method of ["PUT", "DELETE"]) {
      expect(await control(emulator(), method, path), method).toMatchObject({
        status: 404,
        body: { error: "not_found" },
      });
    }
  });
});

describe("reset", () => {
  it("restores the seeded roles and members", async () => {
    const before = (await control(emulator(), "GET", `/guilds/${HQ}`)).body;
    await removeMember(emulator(), HQ, seededId("pixelpine"));
    await removeRole(emulator(), HQ, seededId("nova"), hqRole("Moderator"));
    await control(emulator(), "POST", `/guilds/${HQ}/roles`, { name: "Temporary" });
    await control(emulator(), "PUT", `/guilds/${HQ}/members/${seededId("quietfern")}`);
    await control(emulator(), "POST", "/reset");
    expect((await control(emulator(), "GET", `/guilds/${HQ}`)).body).toEqual(before);
  });
});
