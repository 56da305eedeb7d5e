import { describe, expect, it, vi } from "vitest";
import {
  api,
  control,
  inFlightOn,
  login,
  seededGuildId,
  seededId,
  tokenRequest,
  useEmulator,
} from "../testing/harness";

const emulator = useEmulator();
const RATE_LIMIT_HEADERS = [
  "x-ratelimit-limit",
  "x-ratelimit-remaining",
  "x-ratelimit-reset",
  "x-ratelimit-reset-after",
  "x-ratelimit-bucket",
];

async function novaToken(): Promise<string> {
  return (await login(emulator(), seededId("nova"), "identify guilds")).access_token;
}

describe("rate limits", () => {
  it("puts the rate-limit headers on API and token responses, even when nothing is enforced", async () => {
    const token = await novaToken();
    const responses = [
      await api(emulator(), "/users/@me", token),
      await api(emulator(), "/users/@me", "bad-token"),
      await api(emulator(), "/users/@me/guilds", token),
      await tokenRequest(emulator(), { grant_type: "nonsense" }),
    ];
    for (const { headers } of responses) {
      for (const name of RATE_LIMIT_HEADERS) expect(headers.get(name), name).toBeTruthy();
    }
    expect(Number(responses[0]!.headers.get("x-ratelimit-reset-after"))).toBeLessThanOrEqual(1);
  });

  it("enforces a configured limit per token with Discord's 429", async () => {
    const rule = await control(emulator(), "POST", "/rate-limits", { route: "users_me", limit: 2, window_seconds: 30 });
    expect(rule.status).toBe(201);
    const token = await novaToken();
    const first = await api(emulator(), "/users/@me", token);
    expect(first.headers.get("x-ratelimit-limit")).toBe("2");
    expect(first.headers.get("x-ratelimit-remaining")).toBe("1");
    expect((await api(emulator(), "/users/@me", token)).status).toBe(200);

    const limited = await api(emulator(), "/users/@me", token);
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({
      message: "You are being rate limited.",
      retry_after: expect.any(Number),
      global: false,
    });
    expect(limited.body.retry_after).toBeGreaterThan(29);
    expect(limited.headers.get("retry-after")).toBe("30");
    expect(limited.headers.get("x-ratelimit-scope")).toBe("user");
    expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");

    // Another token has its own bucket; other routes are not limited.
    expect((await api(emulator(), "/users/@me", await novaToken())).status).toBe(200);
    expect((await api(emulator(), "/users/@me/guilds", token)).status).toBe(200);

    await control(emulator(), "DELETE", "/rate-limits");
    expect((await api(emulator(), "/users/@me", token)).status).toBe(200);
  });

  it("validates rate-limit rules", async () => {
    const response = await control(emulator(), "POST", "/rate-limits", { route: "users", limit: 2, window_seconds: 1 });
    expect(response).toMatchObject({ status: 400, body: { error: "invalid_body", field: "route" } });
  });
});

describe("faults", () => {
  it("fails the next N requests with the status and a Discord-shaped body", async () => {
    const token = await novaToken();
    expect((await control(emulator(), "POST", "/faults", { route: "users_me", count: 2, status: 503 })).status).toBe(
      201,
    );
    for (let attempt = 0; attempt < 2; attempt += 1) {
      expect(await api(emulator(), "/users/@me", token)).toMatchObject({
        status: 503,
        body: { message: "503: Service Unavailable", code: 0 },
      });
    }
    expect((await api(emulator(), "/users/@me", token)).status).toBe(200);
  });

  it("injects a 429 with the requested retry_after", async () => {
    await control(emulator(), "POST", "/faults", { route: "token", count: 1, retry_after: 2.5 });
    const response = await tokenRequest(emulator(), { grant_type: "refresh_token", refresh_token: "x" });
    expect(response.status).toBe(429);
    expect(response.body).toEqual({ message: "You are being rate limited.", retry_after: 2.5, global: false });
    expect(response.headers.get("retry-after")).toBe("3");
    expect(response.headers.get("x-ratelimit-scope")).toBe("user");
  });

  it("delays requests before handling them normally", async () => {
    const token = await novaToken();
    await control(emulator(), "POST", "/faults", { route: "guilds", count: 1, delay_ms: 200 });
    const started = performance.now();
    const response = await api(emulator(), "/users/@me/guilds", token);
    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });

  it("lists a delayed request as in flight until it is answered", async () => {
    const token = await novaToken();
    await control(emulator(), "POST", "/faults", { route: "guilds", count: 1, delay_ms: 5_000 });
    const held = new AbortController();
    const request = fetch(`${emulator().url}/api/v10/users/@me/guilds`, {
      headers: { Authorization: `Bearer ${token}` },
      signal: held.signal,
    }).catch(() => "aborted");
    await vi.waitFor(async () => expect(await inFlightOn(emulator(), "guilds")).toBe(1));
    expect((await control(emulator(), "GET", "/in-flight")).body).toEqual({ guilds: 1 });
    held.abort(); // the client going away ends it too
    expect(await request).toBe("aborted");
    await vi.waitFor(async () => expect((await control(emulator(), "GET", "/in-flight")).body).toEqual({}));
  });

  it("answers with a malformed body, 200 unless told otherwise", async () => {
    const token = await novaToken();
    await control(emulator(), "POST", "/faults", { route: "users_me", count: 1, body: { username: "no-id" } });
    await control(emulator(), "POST", "/faults", {
      route: "users_me",
      count: 1,
      status: 502,
      body: "<html>bad gateway</html>",
    });
    expect(await api(emulator(), "/users/@me", token)).toMatchObject({ status: 200, body: { username: "no-id" } });
    expect(await api(emulator(), "/users/@me", token)).toMatchObject({ status: 502, body: "<html>bad gateway</html>" });
    expect((await api(emulator(), "/users/@me", token)).body).toHaveProperty("id");
  });

  it("fails pages and images too, and DELETE clears every fault", async () => {
    await control(emulator(), "POST", "/faults", { route: "cdn", count: 5, status: 500 });
    expect((await fetch(`${emulator().url}/embed/avatars/0.png`)).status).toBe(500);
    await control(emulator(), "DELETE", "/faults");
    expect((await fetch(`${emulator().url}/embed/avatars/0.png`)).status).toBe(200);
  });

  it.each([
    [{ route: "users_me", count: 1 }, "status"],
    [{ route: "users_me", count: 0, status: 500 }, "count"],
    [{ route: "users_me", count: 1, status: 302 }, "status"],
    [{ route: "users_me", count: 1, status: 200 }, "status"],
    [{ route: "users_me", count: 1, status: 500, retry_after: 1 }, "retry_after"],
    [{ route: "users_me", count: 1, delay_ms: -5 }, "delay_ms"],
    [{ route: "users_me", count: 1, status: 500, colour: "red" }, "colour"],
  ])("rejects %o naming %s", async (body, field) => {
    expect(await control(emulator(), "POST", "/faults", body)).toMatchObject({
      status: 400,
      body: { error: "invalid_body", field },
    });
  });
});

describe("counters", () => {
  it("counts every response per route and status", async () => {
    const token = await novaToken();
    await api(emulator(), "/users/@me", token);
    await api(emulator(), "/users/@me", "bad");
    const { body } = await control(emulator(), "GET", "/counters");
    expect(body.api_calls).toMatchObject({
      authorize: { "302": 1 },
      token: { "200": 1 },
      users_me: { "200": 1, "401": 1 },
    });
    await control(emulator(), "POST", "/reset");
    expect((await control(emulator(), "GET", "/counters")).body).toEqual({
      codes_issued: 0,
      codes_issued_with_pkce: 0,
      code_exchanges: 0,
      code_exchanges_with_pkce: 0,
      rejected_code_reuses: 0,
      refreshes: 0,
      rejected_refresh_reuses: 0,
      revocations: 0,
      bots_added: 0,
      api_calls: {},
    });
  });
});

describe("the member route", () => {
  it("takes faults and rate limits aimed at guild_member, and counts its calls", async () => {
    const { access_token } = await login(emulator(), seededId("nova"), "guilds guilds.members.read");
    const member = `/users/@me/guilds/${seededGuildId("Emulator HQ")}/member`;
    await control(emulator(), "POST", "/faults", { route: "guild_member", count: 1, status: 502 });
    expect((await api(emulator(), "/users/@me/guilds", access_token)).status).toBe(200);
    expect(await api(emulator(), member, access_token)).toMatchObject({
      status: 502,
      body: { message: "502: Bad Gateway", code: 0 },
    });

    await control(emulator(), "POST", "/rate-limits", { route: "guild_member", limit: 1, window_seconds: 60 });
    expect((await api(emulator(), member, access_token)).status).toBe(200);
    const limited = await api(emulator(), member, access_token);
    expect(limited).toMatchObject({ status: 429, body: { message: "You are being rate limited.", global: false } });
    expect(limited.headers.get("retry-after")).toBe("60");
    expect((await api(emulator(), "/users/@me/guilds", access_token)).status).toBe(200);

    const { body } = await control(emulator(), "GET", "/counters");
    expect(body.api_calls.guild_member).toEqual({ "200": 1, "429": 1, "502": 1 });
    expect(body.api_calls.guilds).toEqual({ "200": 2 });
  });
});
