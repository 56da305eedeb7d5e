import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { hitRateLimit } from "~/models/rate-limit.server";
import * as authDiscord from "~/routes/auth.discord";
import * as sessionsEnd from "~/routes/sessions_.end";
import { useTestApp } from "../../tests/support/app-harness";
import * as callback from "~/routes/auth.discord_.callback";
import { answerConsent, logIn, startLogin } from "../../tests/support/login";
import { TestBrowser } from "../../tests/support/test-browser";

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

  it("without a client address, shares one bucket 50 times larger among anonymous requests", async () => {
    // A window of its own: the logins of other tests count in the shared bucket too.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 10 * 60_000 });
    const browser = new TestBrowser();
    const statuses = [];
    for (let attempt = 0; attempt < 151; attempt += 1) {
      statuses.push((await browser.post(authDiscord.action, "/auth/discord")).status);
    }
    expect(statuses.slice(0, 150)).toEqual(Array(150).fill(302)); // 3 a minute, 50 times over
    expect(statuses[150]).toBe(429);
  });

  it("counts callbacks that carry no login cookie apart: junk cannot use up real logins", async () => {
    const junk = new TestBrowser();
    for (let attempt = 0; attempt < 4; attempt += 1) {
      await junk.get(callback.loader, "/auth/discord/callback?code=x&state=y", from("203.0.113.20"));
    }
    expect(
      (await junk.get(callback.loader, "/auth/discord/callback?code=x&state=y", from("203.0.113.20"))).status,
    ).toBe(429);
    // A real login from the same address still completes.
    const person = new TestBrowser();
    const authorizeUrl = await startLogin(person, undefined, from("203.0.113.20"));
    const finished = await person.get(callback.loader, await answerConsent(app(), authorizeUrl), from("203.0.113.20"));
    expect(finished.location).toBe("/dashboard");
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
