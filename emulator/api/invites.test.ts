import { describe, expect, it } from "vitest";
import { EMULATOR_HQ_INVITE_CODE, api, control, seededGuildId, useEmulator } from "../testing/harness";

const emulator = useEmulator();

describe("GET /invites/{code}", () => {
  it("shows the server an invite leads to, without any token", async () => {
    const { status, body } = await api(emulator(), `/invites/${EMULATOR_HQ_INVITE_CODE}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      type: 0,
      code: "emulator-hq",
      expires_at: null,
      guild_id: seededGuildId("Emulator HQ"),
      guild: {
        id: seededGuildId("Emulator HQ"),
        name: "Emulator HQ",
        icon: expect.stringMatching(/^[0-9a-f]{32}$/),
        features: expect.arrayContaining(["COMMUNITY"]),
      },
      channel: { id: expect.stringMatching(/^\d+$/), type: 0, name: "general" },
    });
    expect(body.channel.id).not.toBe(body.guild_id);
  });

  it("ignores a token, and is served unversioned too", async () => {
    const response = await fetch(`${emulator().url}/api/invites/pine-forest`, {
      headers: { Authorization: "Bearer whatever" },
    });
    expect(response.status).toBe(200);
    expect((await response.json()).guild.name).toBe("Pine Forest");
  });

  it("answers 404 Unknown Invite for a code nobody issued", async () => {
    expect(await api(emulator(), "/invites/no-such-invite")).toMatchObject({
      status: 404,
      body: { message: "Unknown Invite", code: 10006 },
    });
  });

  it("resolves the invite of a server made through the control API", async () => {
    const created = await control(emulator(), "POST", "/guilds", { name: "Invite Test" });
    expect(created.body.invite_code).toMatch(/^[A-Za-z0-9]{10}$/);
    expect(await api(emulator(), `/invites/${created.body.invite_code}`)).toMatchObject({
      status: 200,
      body: { guild: { id: created.body.id, name: "Invite Test", icon: null } },
    });
  });
});
