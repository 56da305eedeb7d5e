import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { hitRateLimit } from "~/models/rate-limit.server";
import * as authDiscord from "~/routes/auth.discord";
import * as sessionsEnd from "~/routes/sessions_.end";
import { useTestApp } from "../../tests/support/app-harness";
import { logIn } from "../../tests/support/login";
import { TestBrowser } from "../../tests/support/test-browser";
import { SHARED_BUCKET_FACTOR } from "./rate-limit.server";

const app = useTestApp({
  env: { TRUST_PROXY: "1", RATE_LIMIT_LOGINS_PER_MINUTE: "3", RATE_LIMIT_ACTIONS_PER_MINUTE: "2" },
});

const from = (ip: string) => ({ "X-Forwarded-For": ip });

// Windows are whole minutes: each test runs early in one, so its hits share a window.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: Math.floor(Date.now() / 60_000) * 60_000 + 60_000 + 1_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("rate limits", () => {
  it("limits login starts per client address, with a 429 that says when to come back", async () => {
    const browser = new TestBrowser();
    const statuses = [];
    for (let attempt = 0; attempt < 4; attempt += 1) {
      statuses.push((await browser.post(authDiscord.action, "/auth/discord", {}, from("203.0.113.10"))).status);
    }
    expect(statuses).toEqual([302, 302, 302, 429]);
    const limited = await browser.post(authDiscord.action, "/auth/discord", {}, from("203.0.113.10"));
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(limited.body).toMatch(/Too many attempts.*wait \d+ seconds/);
    // Someone else is not affected.
    expect((await browser.post(authDiscord.action, "/auth/discord", {}, from("203.0.113.11"))).status).toBe(302);
  });

  it("limits signed-in actions per user", async () => {
    const alice = new TestBrowser();
    const bob = new TestBrowser();
    await logIn(app(), alice, "nova");
    await logIn(app(), bob, "pixelpine");
    const endOthers = (browser: TestBrowser) =>
      browser.post(sessionsEnd.action, "/sessions/end", { intent: "end-others" });
    expect((await endOthers(alice)).status).toBe(302);
    expect((await endOthers(alice)).status).toBe(302);
    expect((await endOthers(alice)).status).toBe(429);
    expect((await endOthers(bob)).status).toBe(302);
  });

  it("without a client address, shares one larger bucket among anonymous requests", async () => {
    const browser = new TestBrowser();
    const statuses = [];
    for (let attempt = 0; attempt < 10; attempt += 1) {
      statuses.push((await browser.post(authDiscord.action, "/auth/discord")).status);
    }
    expect(statuses).toEqual(Array(10).fill(302));
    expect(SHARED_BUCKET_FACTOR * 3).toBeGreaterThan(10);
  });

  it("counts concurrent hits exactly, as several instances would send them", async () => {
    const decisions = await Promise.all(
      Array.from({ length: 50 }, () =>
        hitRateLimit(app().db, "test:concurrent", 10, 60_000, new Date("2026-01-01T00:00:30Z")),
      ),
    );
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(10);
  });
});
