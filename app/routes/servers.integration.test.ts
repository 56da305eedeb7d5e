import { afterEach, describe, expect, it, vi } from "vitest";
import * as login from "~/routes/login";
import * as servers from "~/routes/servers";
import { api, counters, issuedTokens, login as emulatorLogin, seededId } from "../../emulator/testing/harness";
import { useTestApp } from "../../tests/support/app-harness";
import { logIn } from "../../tests/support/login";
import { TestBrowser } from "../../tests/support/test-browser";

const app = useTestApp();

afterEach(() => {
  vi.useRealTimers();
});

/** Counts the account's servers straight from the emulator's API, page by page. */
async function serverCountAtDiscord(username: string): Promise<number> {
  const { access_token } = await emulatorLogin(app().emulator, seededId(username));
  let total = 0;
  let after = "";
  for (;;) {
    const page = await api(
      app().emulator,
      `/users/@me/guilds?limit=200${after ? `&after=${after}` : ""}`,
      access_token,
    );
    total += page.body.length;
    if (page.body.length < 200) return total;
    after = page.body[page.body.length - 1].id;
  }
}

/** Moves the clock (Date only) forward, so the page cache sees its entries age. */
function advanceClock(ms: number) {
  vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + ms });
}

describe("the servers page", () => {
  it("shows every server, across Discord's 200-per-page pagination", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "guildhopper");
    const expected = await serverCountAtDiscord("guildhopper");
    expect(expected).toBeGreaterThan(200);

    const page = await browser.get(servers.loader, "/servers");
    expect(page.status).toBe(200);
    expect(page.data.problem).toBeNull();
    expect(page.data.servers).toHaveLength(expected);
    const names = page.data.servers.map((server: { name: string }) => server.name);
    expect(names).toContain("Hopper Hub 001");
    expect(names).toContain("Hopper Hub 250");
    expect(new Set(page.data.servers.map((server: { id: string }) => server.id)).size).toBe(expected);
  });

  it("shows icons, ownership, notable permissions and member counts", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "nova");
    const { data } = await browser.get(servers.loader, "/servers");
    const owned = data.servers.filter((server: { owner: boolean }) => server.owner);
    expect(owned.length).toBeGreaterThan(0);
    expect(data.servers[0].owner).toBe(true); // owned servers come first
    for (const server of data.servers) expect(server.memberCount).toEqual(expect.any(Number));
    const [withIcon, withoutIcon] = [
      data.servers.filter((server: { iconUrl: string | null }) => server.iconUrl),
      data.servers.filter((server: { iconUrl: string | null }) => !server.iconUrl),
    ];
    expect(withIcon.length * withoutIcon.length).toBeGreaterThan(0); // nova's servers have both kinds
    for (const server of withIcon) expect((await fetch(server.iconUrl)).headers.get("content-type")).toBe("image/png");
    for (const server of withoutIcon) expect(server.initials).toMatch(/^\S{1,2}$/);
    expect(data.servers.some((server: { permissions: string[] }) => server.permissions.includes("Administrator"))).toBe(
      true,
    );
  });

  it("reuses the list for a minute instead of asking Discord on every load", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "pixelpine");
    await browser.get(servers.loader, "/servers");
    await browser.get(servers.loader, "/servers");
    expect((await counters(app().emulator)).api_calls.guilds).toEqual({ 200: 1 });
    advanceClock(61_000);
    await browser.get(servers.loader, "/servers");
    expect((await counters(app().emulator)).api_calls.guilds).toEqual({ 200: 2 });
  });

  it("honours a 429: says when to retry and does not ask again before then", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "ursa.minor");
    await app().control("POST", "/faults", { route: "guilds", count: 1, status: 429, retry_after: 30 });
    const first = await browser.get(servers.loader, "/servers");
    expect(first.status).toBe(200);
    expect(first.data).toMatchObject({ servers: null, problem: { kind: "rate_limited", retryAfterSeconds: 30 } });
    const second = await browser.get(servers.loader, "/servers");
    expect(second.data.problem).toMatchObject({ kind: "rate_limited" });
    expect((await counters(app().emulator)).api_calls.guilds).toEqual({ 429: 1 });
  });

  it("keeps showing the last good list, with a notice, when Discord fails", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "legacyfox");
    const good = await browser.get(servers.loader, "/servers");
    advanceClock(61_000);
    await app().control("POST", "/faults", { route: "guilds", count: 1, status: 500 });
    const stale = await browser.get(servers.loader, "/servers");
    expect(stale.status).toBe(200);
    expect(stale.data.problem).toEqual({ kind: "unavailable" });
    expect(stale.data.servers).toEqual(good.data.servers);
    expect(good.data.fetchedAgo).toBe("just now");
    expect(stale.data.fetchedAgo).toBe("1 minute ago"); // the list it still shows, not a new one
  });

  it("renders with a clear notice and no list when Discord fails before any list was fetched", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "quietfern");
    await app().control("POST", "/faults", { route: "guilds", count: 1, status: 502 });
    const page = await browser.get(servers.loader, "/servers");
    expect(page.status).toBe(200);
    expect(page.data).toMatchObject({ servers: null, problem: { kind: "unavailable" } });
  });

  it.each([
    ["the server list", "guilds"],
    ["the token refresh", "token"],
  ])("keeps the page (with a notice) when %s is slower than DISCORD_TIMEOUT_MS", async (_call, route) => {
    const { body: account } = await app().control("POST", "/accounts", { username: `slow.${route}` });
    const browser = new TestBrowser();
    await logIn(app(), browser, account.id);
    if (route === "token") await app().control("POST", `/accounts/${account.id}/expire-tokens`);
    await app().control("POST", "/faults", { route, count: 1, delay_ms: 3_500 }); // the harness allows 3 s
    const page = await browser.get(servers.loader, "/servers");
    expect(page.status).toBe(200);
    expect(page.data.problem).toEqual({ kind: "unavailable" });
    // Still signed in: a slow Discord is not a lost grant, and the next load works.
    const next = await browser.get(servers.loader, "/servers");
    expect(next.status).toBe(200);
    expect(next.data.problem).toBeNull();
  });

  it("refreshes a token Discord expired early, once", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "nova");
    advanceClock(5 * 60_000); // past any list an earlier test cached for nova
    await app().control("POST", `/accounts/${seededId("nova")}/expire-tokens`);
    const page = await browser.get(servers.loader, "/servers");
    expect(page.data.problem).toBeNull();
    expect(page.data.servers.length).toBeGreaterThan(0);
    expect(await counters(app().emulator)).toMatchObject({ refreshes: 1, rejected_refresh_reuses: 0 });
  });

  it("says so when the user never granted the guilds scope, without asking Discord", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "quietfern");
    await app().db.updateTable("discord_tokens").set({ scopes: "identify email" }).execute();
    const page = await browser.get(servers.loader, "/servers");
    expect(page.data).toMatchObject({ guildsGranted: false, servers: null });
    expect((await counters(app().emulator)).api_calls.guilds).toBeUndefined();
  });

  it("shows a notice, not an error, when Discord refuses the list", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "ursa.minor");
    advanceClock(20 * 60_000);
    await app().control("POST", "/faults", { route: "guilds", count: 1, status: 403 });
    const page = await browser.get(servers.loader, "/servers");
    expect(page.status).toBe(200);
    expect(page.data.problem).toEqual({ kind: "refused" });
  });

  it("treats a token Discord refuses even right after a refresh as a lost grant", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "legacyfox");
    advanceClock(20 * 60_000);
    await app().control("POST", "/faults", { route: "guilds", count: 2, status: 401 });
    const page = await browser.get(servers.loader, "/servers");
    expect(page.location).toBe("/login?returnTo=%2Fservers");
    expect(await counters(app().emulator)).toMatchObject({ refreshes: 1 });
    expect((await browser.get(servers.loader, "/servers")).status).toBe(302);
  });

  it("ends every session of a user whose tokens are gone, not only this one", async () => {
    const here = new TestBrowser();
    const elsewhere = new TestBrowser();
    await logIn(app(), here, "legacyfox");
    await logIn(app(), elsewhere, "legacyfox");
    const user = await app()
      .db.selectFrom("users")
      .select("id")
      .where("discord_id", "=", seededId("legacyfox"))
      .executeTakeFirstOrThrow();
    await app().db.deleteFrom("discord_tokens").where("user_id", "=", user.id).execute();
    const page = await here.get(servers.loader, "/servers");
    expect(page.location).toBe("/login?returnTo=%2Fservers");
    expect(await app().db.selectFrom("sessions").select("id").where("user_id", "=", user.id).execute()).toEqual([]);
    expect((await elsewhere.get(servers.loader, "/servers")).status).toBe(302);
  });

  it("sends the person to log in again when the grant is gone", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "pixelpine");
    // Far past any list an earlier test cached for pixelpine (the cache lives per process).
    advanceClock(10 * 60_000);
    await app().control("POST", `/accounts/${seededId("pixelpine")}/expire-tokens`);
    // Removed from Discord's side, and the app never heard (no webhook configured here).
    const refresh = (await issuedTokens(app().emulator, seededId("pixelpine"))).find(
      (token) => token.type === "refresh" && token.valid,
    )!;
    await fetch(`${app().emulator.url}/api/v10/oauth2/token/revoke`, {
      method: "POST",
      headers: { Authorization: `Basic ${btoa(`${app().emulator.clientId}:${app().emulator.clientSecret}`)}` },
      body: new URLSearchParams({ token: refresh.token }),
    });
    const page = await browser.get(servers.loader, "/servers");
    expect(page.location).toBe("/login?returnTo=%2Fservers");
    expect((await browser.get(login.loader, page.location!)).status).toBe(200);
    expect((await browser.notice())?.message).toMatch(/no longer accepts this app's access/);
    expect((await browser.get(servers.loader, "/servers")).status).toBe(302);
  });
});
