import { describe, expect, it } from "vitest";
import { api, counters, pkcePair, REDIRECT_URI, seededId, useEmulator } from "./testing/harness";

const emulator = useEmulator();

/**
 * The whole life of a login, scripted over HTTP the way a browser and an
 * app server would drive it: consent form, PKCE code exchange, API call,
 * refresh, revocation.
 */
describe("a complete login round trip", () => {
  it("authorize → token with PKCE → users/@me → refresh → revoke → 401", async () => {
    const { url, clientId, clientSecret } = emulator();
    const { verifier, challenge } = pkcePair();
    const state = "round-trip-state";
    const basic = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`;
    const postForm = (path: string, fields: Record<string, string>) =>
      fetch(`${url}${path}`, { method: "POST", headers: { Authorization: basic }, body: new URLSearchParams(fields) });

    // 1. The browser lands on the consent page the app linked to.
    const query = new URLSearchParams({
      client_id: clientId,
      redirect_uri: REDIRECT_URI,
      response_type: "code",
      scope: "identify email",
      state,
      code_challenge: challenge,
      code_challenge_method: "S256",
    });
    const consent = await fetch(`${url}/api/oauth2/authorize?${query}`);
    expect(consent.status).toBe(200);
    const page = await consent.text();
    const hidden = Object.fromEntries(
      [...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!]),
    );
    expect(hidden).toMatchObject({ state, code_challenge: challenge });

    // 2. The user picks an account and presses Authorize.
    const authorized = await fetch(`${url}/oauth2/authorize`, {
      method: "POST",
      body: new URLSearchParams({ ...hidden, account_id: seededId("nova"), action: "authorize" }),
      redirect: "manual",
    });
    const callback = new URL(authorized.headers.get("location")!);
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
    expect(callback.searchParams.get("state")).toBe(state);

    // 3. The app exchanges the code with its PKCE verifier.
    const exchanged = await postForm("/api/v10/oauth2/token", {
      grant_type: "authorization_code",
      code: callback.searchParams.get("code")!,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    });
    expect(exchanged.status).toBe(200);
    const tokens = await exchanged.json();
    expect(tokens.scope).toBe("identify email");

    // 4. It reads the user.
    const me = await api(emulator(), "/users/@me", tokens.access_token);
    expect(me.body).toMatchObject({ username: "nova", email: "nova@example.com" });

    // 5. Later it refreshes.
    const refreshed = await (
      await postForm("/api/v10/oauth2/token", { grant_type: "refresh_token", refresh_token: tokens.refresh_token })
    ).json();
    expect((await api(emulator(), "/users/@me", refreshed.access_token)).status).toBe(200);

    // 6. On logout it revokes, and every token stops working.
    expect((await postForm("/api/v10/oauth2/token/revoke", { token: refreshed.access_token })).status).toBe(200);
    for (const token of [tokens.access_token, refreshed.access_token]) {
      expect(await api(emulator(), "/users/@me", token)).toMatchObject({
        status: 401,
        body: { message: "401: Unauthorized", code: 0 },
      });
    }
    const refreshAfterRevoke = await postForm("/api/v10/oauth2/token", {
      grant_type: "refresh_token",
      refresh_token: refreshed.refresh_token,
    });
    expect((await refreshAfterRevoke.json()).error).toBe("invalid_grant");

    expect(await counters(emulator())).toMatchObject({
      codes_issued_with_pkce: 1,
      code_exchanges_with_pkce: 1,
      refreshes: 1,
      revocations: 1,
    });
  });
});
