import { describe, expect, it } from "vitest";
import * as apiUser from "~/routes/api.auth.user";
import * as authDiscord from "~/routes/auth.discord";
import * as dashboard from "~/routes/dashboard";
import * as login from "~/routes/login";
import { counters, seededId } from "../../emulator/testing/harness";
import { APP_URL, useTestApp } from "../../tests/support/app-harness";
import { answerConsent, finishLogin, logIn, startLogin } from "../../tests/support/login";
import { TestBrowser } from "../../tests/support/test-browser";
import { tableCounts } from "../../tests/support/row-counts";
import { cookieNames } from "../../tests/support/set-cookie";

const app = useTestApp();

/** Rows in the tables a login writes. */
const rowCounts = () => tableCounts(app().db, ["users", "sessions", "discord_tokens"]);

/** The notice the login page shows after a failed callback. */
async function noticeAfter(browser: TestBrowser, redirect: { location: string | null }) {
  expect(redirect.location).toMatch(/^\/login/);
  expect((await browser.get(login.loader, redirect.location!)).status).toBe(200);
  return browser.notice();
}

describe("a successful login", () => {
  it("stores the user and encrypted tokens, starts a session and lands on the dashboard", async () => {
    const browser = new TestBrowser();
    const authorizeUrl = await startLogin(browser);
    expect(`${authorizeUrl.origin}${authorizeUrl.pathname}`).toBe(`${app().emulator.url}/oauth2/authorize`);
    expect(authorizeUrl.searchParams.get("redirect_uri")).toBe(`${APP_URL}/auth/discord/callback`);
    expect(authorizeUrl.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorizeUrl.searchParams.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    expect(authorizeUrl.searchParams.get("scope")).toBe("identify email guilds");
    const preLogin = browser.clone();

    const result = await finishLogin(browser, await answerConsent(app(), authorizeUrl, { username: "nova" }));
    expect(result).toMatchObject({ status: 302, location: "/dashboard" });
    // Cookies by lifetime: the session's for 30 days; the login in flight is over.
    const [sessionCookie, loginCookie, ...more] = result.headers.getSetCookie();
    expect(sessionCookie).toMatch(/^session=.+; Max-Age=2592000; Path=\/; HttpOnly; SameSite=Lax$/);
    expect(loginCookie).toMatch(
      /^login=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax$/,
    );
    expect(more).toEqual([]);
    expect(browser.cookie()).not.toBe(preLogin.cookie());

    const page = await browser.get(dashboard.loader, "/dashboard");
    expect(page.data.profile).toMatchObject({ username: "nova", discordId: seededId("nova"), emailVerified: true });

    const user = await app()
      .db.selectFrom("users")
      .selectAll()
      .where("discord_id", "=", seededId("nova"))
      .executeTakeFirstOrThrow();
    const stored = await app()
      .db.selectFrom("discord_tokens")
      .selectAll()
      .where("user_id", "=", user.id)
      .executeTakeFirstOrThrow();
    const issued = await app().issuedTokens(seededId("nova"));
    expect(issued).toHaveLength(2);
    for (const token of issued) expect(JSON.stringify(stored)).not.toContain(token);
    expect(stored.access_token_encrypted).toMatch(/^v1\./);
    expect(stored.scopes).toBe("identify email guilds");
  });

  it("uses PKCE and exchanges exactly one code per login", async () => {
    await logIn(app(), new TestBrowser(), "pixelpine");
    await logIn(app(), new TestBrowser(), "legacyfox");
    expect(await counters(app().emulator)).toMatchObject({
      codes_issued: 2,
      codes_issued_with_pkce: 2,
      code_exchanges: 2,
      code_exchanges_with_pkce: 2,
      rejected_code_reuses: 0,
    });
  });

  it("records an unverified email honestly, and accounts without email", async () => {
    const ursa = new TestBrowser();
    await logIn(app(), ursa, "ursa.minor");
    expect((await ursa.get(dashboard.loader, "/dashboard")).data.profile).toMatchObject({
      email: "ursa@example.org",
      emailVerified: false,
    });
    const fern = new TestBrowser();
    await logIn(app(), fern, "quietfern");
    expect((await fern.get(dashboard.loader, "/dashboard")).data.profile).toMatchObject({
      email: null,
      emailVerified: false,
    });
  });

  it("shows legacy accounts with their discriminator and default avatars by Discord's rules", async () => {
    const fox = new TestBrowser();
    await logIn(app(), fox, "legacyfox");
    expect((await fox.get(dashboard.loader, "/dashboard")).data.profile.tag).toBe("legacyfox#4821");
    const pine = new TestBrowser();
    await logIn(app(), pine, "pixelpine");
    const avatarUrl = (await pine.get(dashboard.loader, "/dashboard")).data.profile.avatarUrl as string;
    const expectedIndex = Number((BigInt(seededId("pixelpine")) >> 22n) % 6n);
    expect(avatarUrl).toBe(`${app().emulator.url}/embed/avatars/${expectedIndex}.png`);
    expect((await fetch(avatarUrl)).headers.get("content-type")).toBe("image/png");
  });
});

describe("returnTo", () => {
  it("brings a deep link back to where it started", async () => {
    const browser = new TestBrowser();
    const denied = await browser.get(dashboard.loader, "/dashboard?tab=email");
    expect(denied).toMatchObject({ status: 302, location: "/login?returnTo=%2Fdashboard%3Ftab%3Demail" });
    const page = await browser.get(login.loader, denied.location!);
    expect(page.data.returnTo).toBe("/dashboard?tab=email");
    expect((await logIn(app(), browser, "nova", page.data.returnTo)).location).toBe("/dashboard?tab=email");
  });

  it.each([
    ["wide characters", `/${"\u3000".repeat(600)}`],
    ["characters outside the BMP", `/${"\u{1F600}".repeat(1000)}`],
    ["percent signs, encoded again", `/?${"%25".repeat(1300)}`],
    ["the most base64 padding a path can make", `/${"~".repeat(1023)}`],
    ["a long run, at the form's limit", `/${"a".repeat(16_000)}`],
  ])("starts the login with a cookie a browser keeps, whatever returnTo holds: %s", async (_shape, returnTo) => {
    const browser = new TestBrowser();
    const started = await browser.post(authDiscord.action, "/auth/discord", { returnTo });
    expect(started.status).toBe(302);
    const setCookies = started.headers.getSetCookie();
    expect(setCookies).toHaveLength(1);
    expect(new TextEncoder().encode(setCookies[0]).length).toBeLessThanOrEqual(4096);
  });

  it.each(["//evil.example", "https://evil.example/", "/\\evil.example", "/.//evil.example", "javascript:alert(1)"])(
    "refuses the open redirect %j and goes to the dashboard",
    async (returnTo) => {
      expect((await logIn(app(), new TestBrowser(), "nova", returnTo)).location).toBe("/dashboard");
    },
  );
});

describe("a login that fails", () => {
  it("explains a Cancel on Discord and stores nothing", async () => {
    const before = await rowCounts();
    const browser = new TestBrowser();
    const authorizeUrl = await startLogin(browser, "/dashboard");
    const result = await finishLogin(browser, await answerConsent(app(), authorizeUrl, { action: "cancel" }));
    expect(await noticeAfter(browser, result)).toMatchObject({
      kind: "info",
      message: expect.stringMatching(/cancelled/),
    });
    expect(await rowCounts()).toEqual(before);
  });

  it("refuses a callback whose browser never started a login", async () => {
    const starter = new TestBrowser();
    const callbackPath = await answerConsent(app(), await startLogin(starter));
    const stranger = new TestBrowser();
    const result = await finishLogin(stranger, callbackPath);
    expect((await noticeAfter(stranger, result))?.message).toMatch(/could not be matched to your browser/);
    expect((await counters(app().emulator)).code_exchanges).toBe(0);
  });

  it.each(["/auth/discord/callback/", "/AUTH/discord/callback", "/auth/discord/%63allback"])(
    "never starts a login from a GET, however the callback path is spelled: %s",
    async (path) => {
      const browser = new TestBrowser();
      const attemptsBefore = await app().db.selectFrom("login_attempts").select("id").execute();
      const result = await finishLogin(browser, path);
      expect((await noticeAfter(browser, result))?.message).toMatch(/could not be matched to your browser/);
      expect(await app().db.selectFrom("login_attempts").select("id").execute()).toEqual(attemptsBefore);
      expect((await counters(app().emulator)).codes_issued).toBe(0);
    },
  );

  it("refuses a forged or missing state", async () => {
    const browser = new TestBrowser();
    const callbackPath = await answerConsent(app(), await startLogin(browser));
    const forged = callbackPath.replace(/state=[^&]+/, "state=forged");
    expect((await noticeAfter(browser, await finishLogin(browser, forged)))?.message).toMatch(/does not belong/);
    const other = new TestBrowser();
    const missing = (await answerConsent(app(), await startLogin(other))).replace(/&?state=[^&]+/, "");
    expect((await noticeAfter(other, await finishLogin(other, missing)))?.message).toMatch(/does not belong/);
    expect((await counters(app().emulator)).code_exchanges).toBe(0);
  });

  it("lets a forged callback link cancel nothing: the login in flight still completes", async () => {
    const browser = new TestBrowser();
    const authorizeUrl = await startLogin(browser);
    const attempts = () => app().db.selectFrom("login_attempts").select("id").orderBy("id").execute();
    const inFlight = await attempts();
    // Someone sends the person a link to the callback with a state of their own.
    const planted = await finishLogin(browser, "/auth/discord/callback?code=attacker&state=x");
    expect((await noticeAfter(browser, planted))?.message).toMatch(/does not belong/);
    expect(await attempts()).toEqual(inFlight);
    // Discord's real answer arrives afterwards and is accepted.
    const real = await finishLogin(browser, await answerConsent(app(), authorizeUrl));
    expect(real.location).toBe("/dashboard");
    expect((await browser.get(dashboard.loader, "/dashboard")).status).toBe(200);
  });

  it("makes the state single-use: a replayed callback with the pre-login cookie is refused", async () => {
    const browser = new TestBrowser();
    const authorizeUrl = await startLogin(browser);
    const preLogin = browser.clone();
    const callbackPath = await answerConsent(app(), authorizeUrl);
    expect((await finishLogin(browser, callbackPath)).location).toBe("/dashboard");

    const replay = await finishLogin(preLogin, callbackPath);
    expect((await noticeAfter(preLogin, replay))?.message).toMatch(/already used or has expired/);
    expect((await preLogin.get(dashboard.loader, "/dashboard")).status).toBe(302);
    expect((await counters(app().emulator)).code_exchanges).toBe(1);
  });

  it("refuses a reused authorization code", async () => {
    const first = new TestBrowser();
    const firstCallback = await answerConsent(app(), await startLogin(first));
    await finishLogin(first, firstCallback);
    // A fresh login whose callback carries the old, already redeemed code.
    const second = new TestBrowser();
    const secondCallback = await answerConsent(app(), await startLogin(second));
    const oldCode = new URLSearchParams(firstCallback.split("?")[1]).get("code")!;
    const withOldCode = secondCallback.replace(/code=[^&]+/, `code=${oldCode}`);
    expect((await noticeAfter(second, await finishLogin(second, withOldCode)))?.message).toMatch(
      /did not accept the login code/,
    );
    expect((await counters(app().emulator)).rejected_code_reuses).toBe(1);
  });

  it("sends the PKCE verifier: a wrong one is refused by Discord", async () => {
    const browser = new TestBrowser();
    const callbackPath = await answerConsent(app(), await startLogin(browser));
    await app()
      .db.updateTable("login_attempts")
      .set({ code_verifier: "x".repeat(43) })
      .execute();
    expect((await noticeAfter(browser, await finishLogin(browser, callbackPath)))?.message).toMatch(
      /did not accept the login code/,
    );
  });

  it("expires a login left unfinished", async () => {
    const browser = new TestBrowser();
    const callbackPath = await answerConsent(app(), await startLogin(browser));
    await app()
      .db.updateTable("login_attempts")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .execute();
    expect((await noticeAfter(browser, await finishLogin(browser, callbackPath)))?.message).toMatch(
      /already used or has expired/,
    );
  });

  it.each([
    ["token", { status: 500 }, /not answering right now/],
    ["token", { status: 429, retry_after: 7 }, /try again in 7 seconds/],
    ["token", { delay_ms: 3500 }, /not answering right now/],
    ["users_me", { status: 503 }, /not answering right now/],
    ["users_me", { status: 429, retry_after: 2 }, /try again in 2 seconds/],
    ["users_me", { body: { username: "no-id", discriminator: "0" } }, /incomplete profile/],
    ["users_me", { body: "<html>proxy error</html>" }, /incomplete profile/],
  ])("handles a %s fault %j with a clear message and nothing stored", async (route, fault, message) => {
    const before = await rowCounts();
    const browser = new TestBrowser();
    const callbackPath = await answerConsent(app(), await startLogin(browser, "/dashboard?from=fault"));
    await app().control("POST", "/faults", { route, count: 1, ...fault });
    const result = await finishLogin(browser, callbackPath);
    // The way to try again keeps where the person was going.
    expect(result.location).toBe("/login?returnTo=%2Fdashboard%3Ffrom%3Dfault");
    expect((await noticeAfter(browser, result))?.message).toMatch(message);
    expect(await rowCounts()).toEqual(before);
  });

  it("refuses a callback with a parameter given twice", async () => {
    const browser = new TestBrowser();
    const callbackPath = await answerConsent(app(), await startLogin(browser));
    const doubled = `${callbackPath}&code=second`;
    expect((await noticeAfter(browser, await finishLogin(browser, doubled)))?.message).toMatch(/appeared twice/);
    expect((await counters(app().emulator)).code_exchanges).toBe(0);
  });

  it("leaves no user behind when storing the tokens fails, and says so", async () => {
    const { sql } = await import("kysely");
    await sql`create function refuse_tokens() returns trigger language plpgsql as $$
      begin raise exception 'disk full'; end $$`.execute(app().db);
    await sql`create trigger refuse_tokens before insert on discord_tokens for each row execute function refuse_tokens()`.execute(
      app().db,
    );
    try {
      const browser = new TestBrowser();
      const result = await logIn(app(), browser, "guildhopper");
      expect((await noticeAfter(browser, result))?.message).toMatch(/went wrong on our side.*nothing was saved/);
      const users = await app()
        .db.selectFrom("users")
        .select("id")
        .where("discord_id", "=", seededId("guildhopper"))
        .execute();
      expect(users).toEqual([]);
    } finally {
      await sql`drop trigger refuse_tokens on discord_tokens`.execute(app().db);
      await sql`drop function refuse_tokens`.execute(app().db);
    }
  });

  it("reports an OAuth error other than access_denied without echoing arbitrary text", async () => {
    const browser = new TestBrowser();
    const authorizeUrl = await startLogin(browser);
    const state = authorizeUrl.searchParams.get("state")!;
    const result = await finishLogin(browser, `/auth/discord/callback?error=Call+0800+now&state=${state}`);
    const notice = await noticeAfter(browser, result);
    expect(notice?.message).toMatch(/unknown_error/);
    expect(notice?.message).not.toMatch(/0800/);
  });
});

describe("cookies and sessions", () => {
  it("writes the session cookie only when a session begins or ends; a notice travels in its own", async () => {
    const root = await import("~/root");
    const logout = await import("~/routes/logout");
    const sessionsEnd = await import("~/routes/sessions_.end");
    const names = (result: { headers: Headers }) => cookieNames(result.headers);
    const { body: account } = await app().control("POST", "/accounts", { username: "cookie.split" });
    const browser = new TestBrowser();
    await logIn(app(), browser, account.id);
    const session = browser.cookie();
    const ended = await browser.post(sessionsEnd.action, "/sessions/end", { intent: "end-others" });
    expect(names(ended)).toEqual(["notice"]);
    const shown = await browser.get(root.loader, "/sessions");
    expect(shown.data.notice).toMatchObject({ kind: "success", message: "There were no other sessions to end." });
    expect(names(shown)).toEqual(["notice"]); // taken: shown once
    expect((await browser.get(root.loader, "/sessions")).data.notice).toBeNull();
    expect(browser.cookie()).toBe(session);
    expect(names(await browser.post(logout.action, "/logout"))).toEqual(["session", "notice"]);
    expect(browser.cookie()).toBeUndefined();
  });

  it("gives a new session id at login: a planted session is not kept", async () => {
    const attacker = new TestBrowser();
    await logIn(app(), attacker, "legacyfox");
    const victim = new TestBrowser();
    victim.setCookie("session", attacker.cookie()!);
    await logIn(app(), victim, "nova");
    expect(victim.cookie()).not.toBe(attacker.cookie());
    expect((await victim.get(dashboard.loader, "/dashboard")).data.profile.username).toBe("nova");
    // The planted session was ended when the victim logged in over it.
    expect((await attacker.get(dashboard.loader, "/dashboard")).status).toBe(302);
  });

  it("ignores tampered and foreign-signed cookies", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser);
    const [payload, signature] = decodeURIComponent(browser.cookie()!).split(".");
    const tampered = new TestBrowser();
    tampered.setCookie("session", encodeURIComponent(`${payload}.${signature!.slice(0, -2)}AA`));
    expect((await tampered.get(dashboard.loader, "/dashboard")).location).toBe("/login?returnTo=%2Fdashboard");
    const unsigned = new TestBrowser();
    unsigned.setCookie("session", encodeURIComponent(btoa(JSON.stringify({ sid: "x".repeat(43) }))));
    expect((await unsigned.get(dashboard.loader, "/dashboard")).status).toBe(302);
  });

  it("ends an expired session on the server and says so", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "pixelpine");
    await app()
      .db.updateTable("sessions")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .execute();
    const result = await browser.get(dashboard.loader, "/dashboard");
    expect(result.location).toBe("/login?returnTo=%2Fdashboard");
    expect((await browser.notice())?.message).toMatch(/session has ended/);
  });

  it("logs out on POST only, ending the row and the cookie", async () => {
    const logout = await import("~/routes/logout");
    const browser = new TestBrowser();
    await logIn(app(), browser);
    expect(await browser.get(logout.loader, "/logout")).toMatchObject({ status: 302, location: "/" });
    expect((await browser.get(dashboard.loader, "/dashboard")).status).toBe(200);

    const before = (await rowCounts()).sessions;
    const result = await browser.post(logout.action, "/logout");
    expect(result).toMatchObject({ status: 302, location: "/" });
    expect((await rowCounts()).sessions).toBe(before - 1);
    expect((await browser.get(dashboard.loader, "/dashboard")).status).toBe(302);
  });

  it("changes state only on POST: other methods get 405 and change nothing", async () => {
    const logout = await import("~/routes/logout");
    const browser = new TestBrowser();
    await logIn(app(), browser);
    for (const method of ["PUT", "DELETE", "PATCH"]) {
      const request = new Request(`${APP_URL}/logout`, {
        method,
        headers: { Cookie: `session=${browser.cookie()}`, Origin: APP_URL },
      });
      const response = await logout.action({ request, params: {}, context: {} }).catch((thrown: Response) => thrown);
      expect(response.status).toBe(405);
      expect(response.headers.get("Allow")).toBe("POST");
    }
    expect((await browser.get(dashboard.loader, "/dashboard")).status).toBe(200);
  });

  it("refuses login and logout posted from another site", async () => {
    const logout = await import("~/routes/logout");
    const browser = new TestBrowser();
    await logIn(app(), browser);
    const foreign = { Origin: "https://evil.example" };
    expect((await browser.post(authDiscord.action, "/auth/discord", {}, foreign)).status).toBe(403);
    expect((await browser.post(logout.action, "/logout", {}, foreign)).status).toBe(403);
    const refererOnly = { Origin: "", Referer: "https://evil.example/page" };
    expect((await browser.post(logout.action, "/logout", {}, refererOnly)).status).toBe(403);
    expect((await browser.get(dashboard.loader, "/dashboard")).status).toBe(200);
  });

  it("refuses a POST that carries the cookie but neither Origin nor Sec-Fetch-Site: same-origin", async () => {
    const logout = await import("~/routes/logout");
    const browser = new TestBrowser();
    await logIn(app(), browser);
    const withoutOrigin: Array<Record<string, string>> = [
      { Origin: "" },
      { Origin: "", "Sec-Fetch-Site": "cross-site" },
      { Origin: "", "Sec-Fetch-Site": "same-site" },
    ];
    for (const headers of withoutOrigin) {
      const refused = await browser.post(logout.action, "/logout", {}, headers);
      expect(refused.status, JSON.stringify(headers)).toBe(403);
      expect(refused.body).toMatch(/did not say where it came from|another site/);
    }
    expect((await browser.get(dashboard.loader, "/dashboard")).status).toBe(200);
    // A browser that sends only Sec-Fetch-Site still logs out from this site's page.
    const sameOrigin = await browser.post(
      logout.action,
      "/logout",
      {},
      { Origin: "", "Sec-Fetch-Site": "same-origin" },
    );
    expect(sameOrigin.status).toBe(302);
    expect((await browser.get(dashboard.loader, "/dashboard")).status).toBe(302);
  });

  it("lets a request without the cookie and without Origin through: it acts for nobody", async () => {
    const anonymous = new TestBrowser();
    const started = await anonymous.post(authDiscord.action, "/auth/discord", {}, { Origin: "" });
    expect(started.status).toBe(302);
    expect(started.location).toMatch(/\/oauth2\/authorize\?/);
  });
});

describe("GET /api/auth/user", () => {
  it("answers 401 JSON when signed out and the profile, never tokens, when signed in", async () => {
    const browser = new TestBrowser();
    const signedOut = await browser.get(apiUser.loader, "/api/auth/user");
    expect(signedOut.status).toBe(401);
    expect(JSON.parse(signedOut.body)).toEqual({ error: "unauthorized", message: expect.any(String) });

    await logIn(app(), browser, "nova");
    const signedIn = await browser.get(apiUser.loader, "/api/auth/user");
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers.get("Cache-Control")).toBe("private, no-store");
    const body = JSON.parse(signedIn.body);
    expect(body.user).toMatchObject({ username: "nova", discordId: seededId("nova") });
    const issued = await app().issuedTokens(seededId("nova"));
    expect(issued.length).toBeGreaterThan(0);
    for (const token of issued) expect(signedIn.body).not.toContain(token);
  });

  it("has GET /api/auth/example showing exactly the same shape", async () => {
    const example = await import("~/routes/api.auth.example");
    const browser = new TestBrowser();
    await logIn(app(), browser, "nova");
    const real = JSON.parse((await browser.get(apiUser.loader, "/api/auth/user")).body);
    const shown = JSON.parse(await example.loader().text());
    expect(Object.keys(shown.user).sort()).toEqual(Object.keys(real.user).sort());
    for (const key of Object.keys(real.user)) expect(typeof shown.user[key]).toBe(typeof real.user[key]);
  });
});
