import { describe, expect, it } from "vitest";
import { api, login, seededId, useEmulator } from "../testing/harness";

const emulator = useEmulator();

describe("GET /oauth2/@me", () => {
  it("describes the current authorization, with the user under identify", async () => {
    const before = Date.now();
    const { access_token } = await login(emulator(), seededId("nova"), "identify guilds");
    const { status, body } = await api(emulator(), "/oauth2/@me", access_token);
    expect(status).toBe(200);
    expect(body.application).toMatchObject({
      id: emulator().clientId,
      name: "Discord Emulator App",
      verify_key: emulator().publicKeyHex,
    });
    expect(body.scopes).toEqual(["identify", "guilds"]);
    const expires = Date.parse(body.expires);
    expect(expires).toBeGreaterThanOrEqual(before + 604_800_000 - 1000);
    expect(body.user).toMatchObject({ id: seededId("nova"), username: "nova" });
    expect(body.user).not.toHaveProperty("email");
  });

  it("works without identify, leaving the user out", async () => {
    const { access_token } = await login(emulator(), seededId("nova"), "guilds");
    const { status, body } = await api(emulator(), "/oauth2/@me", access_token);
    expect(status).toBe(200);
    expect(body).not.toHaveProperty("user");
  });

  it("answers 401 without a valid token", async () => {
    expect(await api(emulator(), "/oauth2/@me", "nope")).toMatchObject({
      status: 401,
      body: { message: "401: Unauthorized", code: 0 },
    });
  });
});
