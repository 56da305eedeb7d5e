import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { startEmulator } from "../server";
import {
  authorizeCode,
  counters,
  pkcePair,
  REDIRECT_URI,
  seededId,
  tokenRequest,
  useEmulator,
} from "../testing/harness";

const emulator = useEmulator();
const nova = seededId("nova");

const exchange = (code: string, extra: Record<string, string> = {}, credentials?: "basic" | "body" | "none") =>
  tokenRequest(
    emulator(),
    { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, ...extra },
    credentials,
  );

describe("authorization_code grant", () => {
  it("issues Discord-shaped tokens that are never cached", async () => {
    const code = await authorizeCode(emulator(), { accountId: nova, scope: "identify email" });
    const response = await exchange(code);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.body).toEqual({
      access_token: expect.stringMatching(/^[A-Za-z0-9]{30}$/),
      token_type: "Bearer",
      expires_in: 604800,
      refresh_token: expect.stringMatching(/^[A-Za-z0-9]{30}$/),
      scope: "identify email",
    });
    expect(response.body.access_token).not.toBe(response.body.refresh_token);
  });

  it("accepts client credentials in the body", async () => {
    const code = await authorizeCode(emulator(), { accountId: nova });
    expect((await exchange(code, {}, "body")).status).toBe(200);
  });

  it("rejects a code used twice, and counts the reuse", async () => {
    const code = await authorizeCode(emulator(), { accountId: nova });
    expect((await exchange(code)).status).toBe(200);
    const reuse = await exchange(code);
    expect(reuse.status).toBe(400);
    expect(reuse.body).toEqual({ error: "invalid_grant", error_description: 'Invalid "code" in request.' });
    expect(await counters(emulator())).toMatchObject({ codes_issued: 1, code_exchanges: 1, rejected_code_reuses: 1 });
  });

  it("rejects an unknown code", async () => {
    expect((await exchange("notarealcode")).body.error).toBe("invalid_grant");
  });

  it("rejects a redirect_uri that differs from the one authorized, and a missing one", async () => {
    const code = await authorizeCode(emulator(), { accountId: nova });
    const wrong = await exchange(code, { redirect_uri: "http://localhost:3000/elsewhere" });
    expect(wrong.body).toEqual({ error: "invalid_grant", error_description: 'Invalid "redirect_uri" in request.' });
    const missing = await tokenRequest(emulator(), { grant_type: "authorization_code", code });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe("invalid_request");
    expect((await exchange(code)).status).toBe(200); // failed attempts do not burn the code
  });

  it("checks the PKCE verifier when a challenge was sent", async () => {
    const { verifier, challenge } = pkcePair();
    const code = await authorizeCode(emulator(), { accountId: nova, codeChallenge: challenge });
    expect((await exchange(code)).body).toEqual({
      error: "invalid_grant",
      error_description: 'Missing "code_verifier" in request.',
    });
    expect((await exchange(code, { code_verifier: pkcePair().verifier })).body.error).toBe("invalid_grant");
    expect((await exchange(code, { code_verifier: verifier })).status).toBe(200);
    expect(await counters(emulator())).toMatchObject({ codes_issued_with_pkce: 1, code_exchanges_with_pkce: 1 });
  });

  it("rejects a verifier when no challenge was sent (PKCE downgrade)", async () => {
    const code = await authorizeCode(emulator(), { accountId: nova });
    expect((await exchange(code, { code_verifier: pkcePair().verifier })).body.error).toBe("invalid_grant");
  });

  it("rejects an expired code", async () => {
    const shortLived = await startEmulator({ port: 0, codeTtlSeconds: 0.05 });
    try {
      const code = await authorizeCode(shortLived, { accountId: nova });
      await sleep(80); // waits out the code's 50 ms lifetime: its expiry is what is tested
      const response = await tokenRequest(shortLived, {
        grant_type: "authorization_code",
        code,
        redirect_uri: REDIRECT_URI,
      });
      expect(response.body.error).toBe("invalid_grant");
    } finally {
      await shortLived.close();
    }
  });
});

describe("refresh_token grant", () => {
  async function tokens() {
    const code = await authorizeCode(emulator(), { accountId: nova, scope: "identify guilds" });
    return (await exchange(code)).body as { access_token: string; refresh_token: string };
  }

  it("rotates both tokens, and rejects and counts reuse of the old refresh token", async () => {
    const first = await tokens();
    const refreshed = await tokenRequest(emulator(), {
      grant_type: "refresh_token",
      refresh_token: first.refresh_token,
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.scope).toBe("identify guilds");
    expect(refreshed.body.access_token).not.toBe(first.access_token);
    expect(refreshed.body.refresh_token).not.toBe(first.refresh_token);

    const reuse = await tokenRequest(emulator(), { grant_type: "refresh_token", refresh_token: first.refresh_token });
    expect(reuse.body).toEqual({ error: "invalid_grant", error_description: 'Invalid "refresh_token" in request.' });
    expect(await counters(emulator())).toMatchObject({ refreshes: 1, rejected_refresh_reuses: 1 });

    const next = await tokenRequest(emulator(), {
      grant_type: "refresh_token",
      refresh_token: refreshed.body.refresh_token,
    });
    expect(next.status).toBe(200);
  });

  it("may narrow the scopes but not widen them", async () => {
    const { refresh_token } = await tokens();
    const wider = await tokenRequest(emulator(), {
      grant_type: "refresh_token",
      refresh_token,
      scope: "identify email",
    });
    expect(wider.body.error).toBe("invalid_scope");
    const narrower = await tokenRequest(emulator(), { grant_type: "refresh_token", refresh_token, scope: "identify" });
    expect(narrower.body.scope).toBe("identify");
  });

  it("does not take an access token as a refresh token", async () => {
    const { access_token } = await tokens();
    expect(
      (await tokenRequest(emulator(), { grant_type: "refresh_token", refresh_token: access_token })).body.error,
    ).toBe("invalid_grant");
  });
});

describe("token endpoint requests", () => {
  const post = (body: string, headers: Record<string, string>) =>
    fetch(`${emulator().url}/api/v10/oauth2/token`, { method: "POST", headers, body }).then(async (r) => ({
      status: r.status,
      body: await r.json(),
    }));
  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;

  it("reads only form bodies, as Discord does: a JSON body has no grant_type", async () => {
    const response = await post(JSON.stringify({ grant_type: "authorization_code", code: "x" }), {
      "Content-Type": "application/json",
      Authorization: basic(emulator().clientId, emulator().clientSecret),
    });
    expect(response).toMatchObject({ status: 400, body: { error: "unsupported_grant_type" } });
    expect(response.body.error_description).toMatch(/only form-encoded bodies/);
  });

  const refreshForm = (extra: Record<string, string> = {}) =>
    new URLSearchParams({ grant_type: "refresh_token", refresh_token: "x", ...extra }).toString();
  const formType = { "Content-Type": "application/x-www-form-urlencoded" };

  it.each([
    [
      "a wrong Basic secret",
      () => post(refreshForm(), { ...formType, Authorization: basic(emulator().clientId, "wrong") }),
    ],
    [
      "an unknown Basic client",
      () => post(refreshForm(), { ...formType, Authorization: basic("1", emulator().clientSecret) }),
    ],
    [
      "a wrong body secret",
      () => post(refreshForm({ client_id: emulator().clientId, client_secret: "wrong" }), formType),
    ],
    ["no credentials", () => post(refreshForm(), formType)],
    ["a non-Basic Authorization header", () => post(refreshForm(), { ...formType, Authorization: "Bearer abc" })],
  ])("answers 401 invalid_client for %s", async (_, send) => {
    const response = await send();
    expect(response.status).toBe(401);
    expect(response.body.error).toBe("invalid_client");
  });

  it("refuses two authentication methods at once", async () => {
    const form = new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: "x",
      client_secret: emulator().clientSecret,
    });
    const response = await post(form.toString(), {
      "Content-Type": "application/x-www-form-urlencoded",
      Authorization: basic(emulator().clientId, emulator().clientSecret),
    });
    expect(response.body.error).toBe("invalid_request");
  });

  it("answers unsupported_grant_type to an unknown or a missing grant_type", async () => {
    expect((await tokenRequest(emulator(), { grant_type: "client_credentials" })).body.error).toBe(
      "unsupported_grant_type",
    );
    expect((await tokenRequest(emulator(), {})).body.error).toBe("unsupported_grant_type");
  });

  it("is served unversioned too", async () => {
    const form = new URLSearchParams({ grant_type: "password" });
    const response = await post(form.toString(), {
      "Content-Type": "application/x-www-form-urlencoded",
      Authorization: basic(emulator().clientId, emulator().clientSecret),
    });
    const unversioned = await fetch(`${emulator().url}/api/oauth2/token`, {
      method: "POST",
      headers: { Authorization: basic(emulator().clientId, emulator().clientSecret) },
      body: form,
    });
    expect(response.body.error).toBe("unsupported_grant_type");
    expect((await unversioned.json()).error).toBe("unsupported_grant_type");
  });
});
