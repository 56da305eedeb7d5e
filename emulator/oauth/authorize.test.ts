import { describe, expect, it } from "vitest";
import { control, counters, pkcePair, REDIRECT_URI, seededId, submitConsent, useEmulator } from "../testing/harness";

const emulator = useEmulator({ redirectUris: [REDIRECT_URI, "http://localhost:3000/other?keep=1"] });

function authorizeUrl(params: Record<string, string>): string {
  const query = new URLSearchParams({
    client_id: emulator().clientId,
    redirect_uri: REDIRECT_URI,
    response_type: "code",
    ...params,
  });
  return `${emulator().url}/oauth2/authorize?${query}`;
}

const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { redirect: "manual", headers });

function redirectParams(response: Response): URLSearchParams {
  expect(response.status).toBe(302);
  return new URL(response.headers.get("location")!).searchParams;
}

describe("GET /oauth2/authorize", () => {
  it("shows a script-free consent page with the app, the scopes in words and every account", async () => {
    const response = await get(authorizeUrl({ scope: "identify email guilds", state: "s1" }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const page = await response.text();
    expect(page).not.toMatch(/<script/i);
    expect(page).toContain("Discord Emulator App");
    expect(page).toContain("Access your email address");
    expect(page).toContain("Know what servers you&#39;re in");
    expect(page).toMatch(/<form method="post" action="\/oauth2\/authorize">/);
    expect(page).toContain('<input type="hidden" name="state" value="s1">');
    expect(page).toMatch(/<button type="submit" name="action" value="authorize">Authorize<\/button>/);
    expect(page).toMatch(/<button[^>]*value="cancel"[^>]*>Cancel<\/button>/);
    const labels = [...page.matchAll(/<label class="account">([\s\S]*?)<\/label>/g)].map((match) => match[1]!);
    const nova = labels.find((label) => label.includes(`value="${seededId("nova")}"`));
    expect(nova).toContain("Nova Quinn");
    expect(nova).toContain("@nova");
    expect(labels.find((label) => label.includes("legacyfox#4821"))).toBeDefined();
    expect(page).toContain('name="new_username"');
  });

  it("escapes what it echoes", async () => {
    const page = await (await get(authorizeUrl({ scope: "identify", state: '"><script>x</script>' }))).text();
    expect(page).not.toContain("<script>x</script>");
    expect(page).toContain("&quot;&gt;&lt;script&gt;x&lt;/script&gt;");
  });

  it.each([
    ["an unknown client_id", { client_id: "999999999999999999" }, "Unknown application"],
    ["a missing client_id", { client_id: "" }, "Missing client_id"],
    ["an unregistered redirect_uri", { redirect_uri: "http://evil.example/cb" }, "is not registered"],
    ["a redirect_uri that only differs by a slash", { redirect_uri: `${REDIRECT_URI}/` }, "is not registered"],
  ])("shows a 400 error page and never redirects for %s", async (_, override, message) => {
    const response = await get(authorizeUrl({ scope: "identify", ...override }));
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
    expect(await response.text()).toContain(message);
  });

  it.each([
    ["response_type=token", { response_type: "token" }, "unsupported_response_type"],
    ["an unknown scope", { scope: "identify rpc" }, "invalid_scope"],
    ["a bot installed for a user", { scope: "bot", integration_type: "1" }, "invalid_request"],
    ["a bot with a malformed permission field", { scope: "bot", permissions: "8.0" }, "invalid_request"],
    ["an empty scope", { scope: "" }, "invalid_scope"],
    ["PKCE plain", { code_challenge: pkcePair().challenge, code_challenge_method: "plain" }, "invalid_request"],
    ["a challenge without a method", { code_challenge: pkcePair().challenge }, "invalid_request"],
    ["a malformed challenge", { code_challenge: "short", code_challenge_method: "S256" }, "invalid_request"],
    ["an unknown prompt", { prompt: "login" }, "invalid_request"],
  ])("redirects errors for %s back to the client with the state", async (_, override, error) => {
    const params = redirectParams(await get(authorizeUrl({ scope: "identify", state: "xyz", ...override })));
    expect(params.get("error")).toBe(error);
    expect(params.get("error_description")).toBeTruthy();
    expect(params.get("state")).toBe("xyz");
  });

  it("refuses repeated parameters", async () => {
    const params = redirectParams(await get(`${authorizeUrl({ scope: "identify" })}&scope=email`));
    expect(params.get("error")).toBe("invalid_request");
  });

  it("is reachable from the API-prefixed paths with the query kept", async () => {
    for (const prefix of ["/api", "/api/v10"]) {
      const response = await get(`${emulator().url}${prefix}/oauth2/authorize?client_id=1&scope=identify`);
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toBe("/oauth2/authorize?client_id=1&scope=identify");
    }
  });
});

describe("POST /oauth2/authorize", () => {
  it.each([
    ["another site", { Origin: "http://evil.example" }],
    ["the app, on another port of this machine", { Origin: "http://localhost:3000" }],
    ["a page that hides where it is", { Origin: "null" }],
    ["a cross-site page, as Sec-Fetch-Site says", { "Sec-Fetch-Site": "cross-site", Origin: "null" }],
    ["a same-site page on another port", { "Sec-Fetch-Site": "same-site" }],
  ])("refuses a consent sent from %s: 403, no code issued", async (_from, headers) => {
    const response = await submitConsent(emulator(), { accountId: seededId("nova"), state: "abc" }, headers);
    expect(response.status).toBe(403);
    expect(response.headers.get("location")).toBeNull();
    expect(await response.text()).toContain("not from the emulator&#39;s own page");
    expect((await counters(emulator())).codes_issued).toBe(0);
  });

  it("accepts the consent page's own POST, by Sec-Fetch-Site or by Origin", async () => {
    const own = new URL(emulator().url);
    const fromOwnPage: Array<Record<string, string>> = [
      { "Sec-Fetch-Site": "same-origin", Origin: "null" },
      { Origin: own.origin },
    ];
    for (const headers of fromOwnPage) {
      const response = await submitConsent(emulator(), { accountId: seededId("nova"), state: "abc" }, headers);
      expect(redirectParams(response).get("state")).toBe("abc");
    }
  });

  it("Authorize redirects with a code and the state", async () => {
    const response = await submitConsent(emulator(), { accountId: seededId("nova"), state: "abc" });
    const params = redirectParams(response);
    expect(params.get("code")).toMatch(/^[A-Za-z0-9]{30}$/);
    expect(params.get("state")).toBe("abc");
    expect((await counters(emulator())).codes_issued).toBe(1);
  });

  it("keeps the query already on the redirect_uri", async () => {
    const form = new URLSearchParams({
      client_id: emulator().clientId,
      redirect_uri: "http://localhost:3000/other?keep=1",
      response_type: "code",
      scope: "identify",
      action: "authorize",
      account_id: seededId("nova"),
    });
    const response = await fetch(`${emulator().url}/oauth2/authorize`, {
      method: "POST",
      body: form,
      redirect: "manual",
    });
    const location = new URL(response.headers.get("location")!);
    expect(location.searchParams.get("keep")).toBe("1");
    expect(location.searchParams.get("code")).toBeTruthy();
  });

  it("Cancel redirects with access_denied", async () => {
    const response = await submitConsent(emulator(), { accountId: seededId("nova"), state: "abc", action: "cancel" });
    expect(response.headers.get("location")).toBe(
      `${REDIRECT_URI}?error=access_denied&error_description=The+resource+owner+or+authorization+server+denied+the+request&state=abc`,
    );
  });

  it("re-checks the hidden fields instead of trusting them", async () => {
    const form = new URLSearchParams({
      client_id: emulator().clientId,
      redirect_uri: "http://evil.example/cb",
      response_type: "code",
      scope: "identify",
      action: "authorize",
    });
    const response = await fetch(`${emulator().url}/oauth2/authorize`, {
      method: "POST",
      body: form,
      redirect: "manual",
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
  });

  it("creates a new account from a typed username", async () => {
    const params = redirectParams(await submitConsent(emulator(), { newUsername: "fresh.face" }));
    expect(params.get("code")).toBeTruthy();
    const accounts = (await control(emulator(), "GET", "/accounts")).body as {
      username: string;
      discriminator: string;
    }[];
    expect(accounts.find((account) => account.username === "fresh.face")?.discriminator).toBe("0");
  });

  it.each([
    ["an invalid username", { newUsername: "Not Valid" }, "may only contain lowercase letters"],
    ["a taken username", { newUsername: "nova" }, "is already taken"],
    ["no account", { accountId: "123" }, "Choose an account"],
  ])("re-renders the page with a message for %s", async (_, choice, message) => {
    const response = await submitConsent(emulator(), choice);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(message);
  });

  it("remembers the account, which prompt=none then authorizes without asking", async () => {
    const first = await submitConsent(emulator(), { accountId: seededId("pixelpine"), scope: "identify" });
    const cookie = first.headers.get("set-cookie")!.split(";")[0]!;
    const again = await get(authorizeUrl({ scope: "identify", prompt: "none", state: "q" }), { cookie });
    const params = redirectParams(again);
    expect(params.get("code")).toBeTruthy();
    expect(params.get("state")).toBe("q");

    // A wider scope than granted still needs consent.
    const wider = await get(authorizeUrl({ scope: "identify guilds", prompt: "none" }), { cookie });
    expect(wider.status).toBe(200);
    expect(await wider.text()).toMatch(new RegExp(`value="${seededId("pixelpine")}" checked`));
  });
});
