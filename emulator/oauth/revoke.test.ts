import { describe, expect, it } from "vitest";
import type { RunningEmulator } from "../server";
import { api, counters, issuedTokens, login, seededId, useEmulator } from "../testing/harness";

const emulator = useEmulator();
const nova = seededId("nova");

function revoke(target: RunningEmulator, params: Record<string, string>, path = "/api/v10/oauth2/token/revoke") {
  const credentials = Buffer.from(`${target.clientId}:${target.clientSecret}`).toString("base64");
  return fetch(`${target.url}${path}`, {
    method: "POST",
    headers: { Authorization: `Basic ${credentials}` },
    body: new URLSearchParams(params),
  }).then(async (response) => ({ status: response.status, headers: response.headers, body: await response.json() }));
}

describe("POST /oauth2/token/revoke", () => {
  it("revokes the whole grant: every access and refresh token of the user", async () => {
    const first = await login(emulator(), nova);
    const second = await login(emulator(), nova);
    const response = await revoke(emulator(), { token: first.refresh_token, token_type_hint: "refresh_token" });
    expect(response).toMatchObject({ status: 200, body: {} });
    expect(response.headers.get("cache-control")).toBe("no-store");

    for (const token of [first.access_token, second.access_token])
      expect((await api(emulator(), "/users/@me", token)).status).toBe(401);
    expect((await issuedTokens(emulator(), nova)).every((token) => !token.valid && token.status === "revoked")).toBe(
      true,
    );
    expect((await counters(emulator())).revocations).toBe(1);
  });

  it("leaves other users' grants alone", async () => {
    const other = await login(emulator(), seededId("pixelpine"));
    const mine = await login(emulator(), nova);
    await revoke(emulator(), { token: mine.access_token }, "/api/oauth2/token/revoke");
    expect((await api(emulator(), "/users/@me", other.access_token)).status).toBe(200);
  });

  it("answers 200 for an unknown or already revoked token (RFC 7009)", async () => {
    expect(await revoke(emulator(), { token: "unknown" })).toMatchObject({ status: 200, body: {} });
    const tokens = await login(emulator(), nova);
    await revoke(emulator(), { token: tokens.access_token });
    expect((await revoke(emulator(), { token: tokens.access_token })).status).toBe(200);
    expect((await counters(emulator())).revocations).toBe(1);
  });

  it("requires a token and client credentials", async () => {
    expect(await revoke(emulator(), {})).toMatchObject({ status: 400, body: { error: "invalid_request" } });
    const anonymous = await fetch(`${emulator().url}/api/v10/oauth2/token/revoke`, {
      method: "POST",
      body: new URLSearchParams({ token: "x" }),
    });
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).error).toBe("invalid_client");
  });
});
