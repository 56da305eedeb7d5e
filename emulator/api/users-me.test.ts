import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { startEmulator } from "../server";
import { api, control, login, seededId, tokenRequest, useEmulator } from "../testing/harness";

const emulator = useEmulator();
const UNAUTHORIZED = { message: "401: Unauthorized", code: 0 };

describe("GET /users/@me", () => {
  it("returns the user with email and verified under the email scope", async () => {
    const { access_token } = await login(emulator(), seededId("nova"), "identify email");
    const response = await api(emulator(), "/users/@me", access_token);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      id: seededId("nova"),
      username: "nova",
      global_name: "Nova Quinn",
      discriminator: "0",
      avatar: expect.stringMatching(/^[0-9a-f]{32}$/),
      email: "nova@example.com",
      verified: true,
      mfa_enabled: true,
      locale: "en-US",
    });
  });

  it("leaves email and verified out without the email scope", async () => {
    const { access_token } = await login(emulator(), seededId("nova"), "identify");
    const { body } = await api(emulator(), "/users/@me", access_token);
    expect(body).not.toHaveProperty("email");
    expect(body).not.toHaveProperty("verified");
  });

  it.each([
    ["ursa.minor", { email: "ursa@example.org", verified: false }],
    ["quietfern", { email: null, verified: false, global_name: null, avatar: null }],
    ["legacyfox", { discriminator: "4821", global_name: null }],
  ])("reports %s as seeded", async (username, expected) => {
    const { access_token } = await login(emulator(), seededId(username), "identify email");
    expect((await api(emulator(), "/users/@me", access_token)).body).toMatchObject(expected);
  });

  it("is served unversioned too", async () => {
    const { access_token } = await login(emulator(), seededId("nova"), "identify");
    const response = await fetch(`${emulator().url}/api/users/@me`, {
      headers: { Authorization: `Bearer ${access_token}` },
    });
    expect(response.status).toBe(200);
  });

  it("answers 401 without the identify scope", async () => {
    const { access_token } = await login(emulator(), seededId("nova"), "guilds");
    expect(await api(emulator(), "/users/@me", access_token)).toMatchObject({ status: 401, body: UNAUTHORIZED });
  });

  it.each([
    ["no Authorization header", undefined],
    ["an unknown token", "notatoken"],
  ])("answers 401 for %s", async (_, token) => {
    expect(await api(emulator(), "/users/@me", token)).toMatchObject({ status: 401, body: UNAUTHORIZED });
  });

  it("answers 401 for a refresh token used as an access token", async () => {
    const { refresh_token } = await login(emulator(), seededId("nova"), "identify");
    expect((await api(emulator(), "/users/@me", refresh_token)).status).toBe(401);
  });

  it("answers 401 once the control API expired the access token, until a refresh", async () => {
    const { access_token, refresh_token } = await login(emulator(), seededId("nova"), "identify");
    const expired = await control(emulator(), "POST", `/accounts/${seededId("nova")}/expire-tokens`);
    expect(expired.body).toEqual({ expired_access_tokens: 1 });
    expect((await api(emulator(), "/users/@me", access_token)).status).toBe(401);
    const refreshed = await tokenRequest(emulator(), { grant_type: "refresh_token", refresh_token });
    expect((await api(emulator(), "/users/@me", refreshed.body.access_token)).status).toBe(200);
  });

  it("answers 401 when the access token's lifetime has passed", async () => {
    const shortLived = await startEmulator({ port: 0, accessTokenTtlSeconds: 0.05 });
    try {
      const { access_token, expires_in } = await login(shortLived, seededId("nova"), "identify");
      expect(expires_in).toBe(1);
      await sleep(80); // waits out the access token's 50 ms lifetime: its expiry is what is tested
      expect((await api(shortLived, "/users/@me", access_token)).status).toBe(401);
    } finally {
      await shortLived.close();
    }
  });
});
