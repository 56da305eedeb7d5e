import { describe, expect, it } from "vitest";
import { type BotLimits, BotRateLimiter } from "./bot-rate-limit.server";

const LIMITS: BotLimits = { requestsPerSecond: 25, invalidPer10Minutes: 2_500, maxWaitMs: 2_000 };
const POST_MESSAGE = "POST /channels/{id}/messages";

function limiterAt(start = 1_000_000, limits = LIMITS) {
  const clock = { now: start };
  return { clock, limiter: new BotRateLimiter(limits, () => clock.now) };
}

function headers(values: Record<string, string>): Headers {
  return new Headers(values);
}

const bucketHeaders = (remaining: number, resetAfter: number) =>
  headers({
    "X-RateLimit-Bucket": "abc123",
    "X-RateLimit-Remaining": String(remaining),
    "X-RateLimit-Reset-After": String(resetAfter),
  });

describe("the bot's rate limits, kept by one instance", () => {
  it("lets calls go at once while the bucket and the second's share allow", () => {
    const { limiter } = limiterAt();
    for (let call = 0; call < LIMITS.requestsPerSecond; call += 1) {
      expect(limiter.take(POST_MESSAGE, "channel-1")).toEqual({ waitMs: 0 });
    }
  });

  it("spaces calls past the instance's share of the global limit to the next second", () => {
    const { limiter } = limiterAt();
    for (let call = 0; call < LIMITS.requestsPerSecond; call += 1) limiter.take("GET /guilds/{id}", `guild-${call}`);
    expect(limiter.take("GET /guilds/{id}", "guild-x")).toEqual({ waitMs: 1_000 });
  });

  it("waits for a spent bucket to refill, per major parameter, learned from Discord's headers", () => {
    const { clock, limiter } = limiterAt();
    limiter.take(POST_MESSAGE, "channel-1");
    limiter.observe(POST_MESSAGE, "channel-1", 200, bucketHeaders(0, 1.5));
    expect(limiter.take(POST_MESSAGE, "channel-1")).toEqual({ waitMs: 1_500 });
    // Another channel is another bucket of the same kind, untouched.
    expect(limiter.take(POST_MESSAGE, "channel-2")).toEqual({ waitMs: 0 });
    clock.now += 1_500;
    limiter.observe(POST_MESSAGE, "channel-1", 200, bucketHeaders(4, 5));
    expect(limiter.take(POST_MESSAGE, "channel-1")).toEqual({ waitMs: 0 });
  });

  it("refuses with the wait rather than keep a person waiting longer than the bound", () => {
    const { limiter } = limiterAt();
    limiter.observe(POST_MESSAGE, "channel-1", 200, bucketHeaders(0, 7.2));
    expect(limiter.take(POST_MESSAGE, "channel-1")).toEqual({ refusedForSeconds: 8 });
  });

  it("honours retry_after on a 429, for the route's bucket, or for everything when global", () => {
    const { clock, limiter } = limiterAt();
    limiter.observe(POST_MESSAGE, "channel-1", 429, headers({}), 1.2);
    expect(limiter.take(POST_MESSAGE, "channel-1")).toEqual({ waitMs: 1_200 });
    expect(limiter.take("GET /guilds/{id}", "guild-1")).toEqual({ waitMs: 0 });

    limiter.observe("GET /guilds/{id}", "guild-1", 429, headers({ "X-RateLimit-Global": "true" }), 30);
    expect(limiter.take("GET /guilds/{id}/channels", "guild-2")).toEqual({ refusedForSeconds: 30 });
    clock.now += 30_000;
    expect(limiter.take("GET /guilds/{id}/channels", "guild-2")).toEqual({ waitMs: 0 });
  });

  it("counts 401, 403 and 429 (not shared ones), and stops at its share of the ban's threshold", () => {
    const { clock, limiter } = limiterAt(0, { ...LIMITS, invalidPer10Minutes: 3 });
    limiter.observe("GET /guilds/{id}", "a", 403, headers({}));
    limiter.observe("GET /guilds/{id}", "b", 429, headers({ "X-RateLimit-Scope": "shared" }), 0.1);
    limiter.observe("GET /guilds/{id}", "c", 404, headers({}));
    limiter.observe("GET /guilds/{id}", "d", 401, headers({}));
    expect(limiter.invalidInWindow()).toBe(2);
    clock.now += 60_000;
    limiter.observe("GET /guilds/{id}", "e", 429, headers({}), 0.1);
    expect(limiter.take("GET /users/@me", "")).toEqual({ refusedForSeconds: 540 });
    // Ten minutes after the first, it leaves the window and calls may go again.
    clock.now = 10 * 60_000 + 1;
    expect(limiter.invalidInWindow()).toBe(1);
    expect("waitMs" in limiter.take("GET /users/@me", "")).toBe(true);
  });

  it("keeps its memory bounded however many channels it has seen", () => {
    const { limiter } = limiterAt();
    for (let channel = 0; channel < 12_000; channel += 1) {
      limiter.observe(POST_MESSAGE, `channel-${channel}`, 200, bucketHeaders(0, 1));
    }
    // The newest spent bucket is still known; the oldest was dropped, so its channel goes at once.
    expect(limiter.take(POST_MESSAGE, "channel-11999")).toEqual({ waitMs: 1_000 });
    expect(limiter.take(POST_MESSAGE, "channel-0")).toEqual({ waitMs: 0 });
  });
});
