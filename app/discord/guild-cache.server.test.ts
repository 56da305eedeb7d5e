import { describe, expect, it } from "vitest";
import { GrantLostError } from "./grant.server";
import { DiscordError } from "./discord-error.server";
import { FRESH_FOR_MS, forgetGuilds, getGuilds, guildCacheSize, limitGuildCache } from "./guild-cache.server";
import type { DiscordGuild } from "./guilds.server";

const guild = (id: string): DiscordGuild => ({
  id,
  name: `Server ${id}`,
  icon: null,
  owner: false,
  permissions: "0",
  features: [],
});
/** What the cache keeps of a server: what the page shows (no features). */
const kept = ({ features: _features, ...shown }: DiscordGuild) => shown;
let nextUser = 0;
const newUser = () => `user-${(nextUser += 1)}`;
const fails = (failure: DiscordError["failure"]) => async () => {
  throw new DiscordError("server list", failure);
};

describe("getGuilds", () => {
  it("reuses a fresh list and asks again once it is old", async () => {
    const user = newUser();
    let calls = 0;
    const fetch = async () => [guild(String((calls += 1)))];
    const t0 = 1_000_000;
    expect((await getGuilds(user, fetch, t0)).guilds).toEqual([kept(guild("1"))]);
    expect((await getGuilds(user, fetch, t0 + FRESH_FOR_MS - 1)).guilds).toEqual([kept(guild("1"))]);
    expect((await getGuilds(user, fetch, t0 + FRESH_FOR_MS)).guilds).toEqual([kept(guild("2"))]);
    expect(calls).toBe(2);
  });

  it("shares one fetch between concurrent page loads", async () => {
    const user = newUser();
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const fetch = async () => {
      calls += 1;
      await gate;
      return [guild("1")];
    };
    const loads = Array.from({ length: 20 }, () => getGuilds(user, fetch));
    release();
    expect((await Promise.all(loads)).every((result) => result.guilds?.length === 1)).toBe(true);
    expect(calls).toBe(1);
  });

  it("honours a 429: no call before retry_after, the last list shown meanwhile", async () => {
    const user = newUser();
    const t0 = 5_000_000;
    await getGuilds(user, async () => [guild("1")], t0);
    const limited = await getGuilds(user, fails({ kind: "rate_limited", retryAfterSeconds: 30 }), t0 + FRESH_FOR_MS);
    expect(limited).toMatchObject({
      guilds: [kept(guild("1"))],
      problem: { kind: "rate_limited", retryAfterSeconds: 30 },
    });

    let called = false;
    const during = await getGuilds(user, async () => ((called = true), [guild("2")]), t0 + FRESH_FOR_MS + 10_000);
    expect(called).toBe(false);
    expect(during).toMatchObject({
      guilds: [kept(guild("1"))],
      problem: { kind: "rate_limited", retryAfterSeconds: 20 },
    });

    const after = await getGuilds(user, async () => [guild("2")], t0 + FRESH_FOR_MS + 30_000);
    expect(after).toMatchObject({ guilds: [kept(guild("2"))], problem: null });
  });

  it("falls back to the last good list when Discord fails, and to nothing when there is none", async () => {
    const user = newUser();
    expect(await getGuilds(user, fails({ kind: "server_error", status: 502 }))).toEqual({
      guilds: null,
      fetchedAt: null,
      problem: { kind: "unavailable" },
    });
    const t0 = 9_000_000;
    await getGuilds(user, async () => [guild("7")], t0);
    const failed = await getGuilds(user, fails({ kind: "timeout", afterMs: 10_000 }), t0 + FRESH_FOR_MS);
    expect(failed).toMatchObject({
      guilds: [kept(guild("7"))],
      problem: { kind: "unavailable" },
      fetchedAt: new Date(t0),
    });
    expect((await getGuilds(user, fails({ kind: "unreachable" }), t0 + 2 * 60 * 60_000)).guilds).toBeNull();
  });

  it("reports a refusal, lets a lost grant through, and forgets on request", async () => {
    const user = newUser();
    await expect(getGuilds(user, async () => Promise.reject(new GrantLostError(user)))).rejects.toBeInstanceOf(
      GrantLostError,
    );
    expect(await getGuilds(user, fails({ kind: "malformed", detail: "x" }))).toEqual({
      guilds: null,
      fetchedAt: null,
      problem: { kind: "refused" },
    });
    await getGuilds(user, async () => [guild("1")]);
    forgetGuilds(user);
    expect((await getGuilds(user, async () => [guild("2")])).guilds).toEqual([kept(guild("2"))]);
  });
});

describe("the guild cache's bounds", () => {
  it("stays within its byte bound, forgetting the least recently stored first", async () => {
    limitGuildCache(100_000);
    try {
      const many = Array.from({ length: 200 }, (_, index) => guild(String(index)));
      const people = Array.from({ length: 30 }, newUser);
      for (const person of people) await getGuilds(person, async () => many, 1_000);
      expect(guildCacheSize().bytes).toBeLessThanOrEqual(100_000);
      expect(guildCacheSize().people).toBeGreaterThan(0);
      // The newest stayed; the oldest must be asked for again.
      let asked = 0;
      await getGuilds(people.at(-1)!, async () => ((asked += 1), many), 2_000);
      await getGuilds(people[0]!, async () => ((asked += 1), many), 2_000);
      expect(asked).toBe(1);
    } finally {
      limitGuildCache(16 * 1024 * 1024);
    }
  });

  it("drops lists too old to be shown even after a failure", async () => {
    const person = newUser();
    await getGuilds(person, async () => [guild("1")], 1_000);
    const hourLater = 1_000 + 60 * 60_000;
    await getGuilds(newUser(), async () => [guild("2")], hourLater); // any store sweeps the old ones
    const failed = await getGuilds(person, fails({ kind: "server_error", status: 502 }), hourLater);
    expect(failed).toMatchObject({ guilds: null, problem: { kind: "unavailable" } });
  });
});
