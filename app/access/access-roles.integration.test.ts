import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { requireUser } from "~/auth/session.server";
import { claimAccessCheck, recordAccessConfirmed, recordAccessUnconfirmed } from "~/models/access-check.server";
import * as accessRefused from "~/routes/access-refused";
import * as apiUser from "~/routes/api.auth.user";
import * as dashboard from "~/routes/dashboard";
import * as login from "~/routes/login";
import * as revoke from "~/routes/revoke";
import {
  api,
  callsOn,
  counters,
  EMULATOR_HQ_INVITE_CODE,
  removeRole,
  seededGuildId,
  seededId,
  seededRoleId,
} from "../../emulator/testing/harness";
import { useTestApp } from "../../tests/support/app-harness";
import { logIn } from "../../tests/support/login";
import { TestBrowser } from "../../tests/support/test-browser";
import { testServerUrl } from "../../tests/support/test-database";
import { forgetRememberedStandings } from "./recheck.server";
import { storedFor } from "../../tests/support/row-counts";

const HQ = seededGuildId("Emulator HQ");
const MODERATOR = seededRoleId("Emulator HQ", "Moderator");
const RECHECK_MINUTES = 10;
const GRACE_MINUTES = 30;

const app = useTestApp({
  env: (emulator) => ({
    ACCESS_GUILD_IDS: HQ,
    ACCESS_ROLE_IDS: `${MODERATOR}=Moderator`,
    ACCESS_RECHECK_MINUTES: String(RECHECK_MINUTES),
    ACCESS_GRACE_MINUTES: String(GRACE_MINUTES),
    ACCESS_INVITE_URL: `${emulator.url}/invite/${EMULATOR_HQ_INVITE_CODE}`,
  }),
});

/** When the test began: its logins happen right after, and `at()` counts from here. */
let start: number;

beforeEach(() => {
  // Each test starts as a fresh instance would, without another test's (moved) clock in memory.
  forgetRememberedStandings();
  start = Date.now();
});

afterEach(() => {
  vi.useRealTimers();
});

/** Sets the clock (Date only) to this many minutes after the test began, as if the person came back then. */
function at(minutes: number) {
  vi.useFakeTimers({ toFake: ["Date"], now: start + minutes * 60_000 });
}

/** Resolves once a statement matching `query` waits for a lock in the test's database. */
async function untilWaiting(query: RegExp): Promise<void> {
  const waiting = async () => {
    const { rows } = await sql<{ query: string }>`
      select query from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(
      app().db,
    );
    return rows.map((row) => row.query);
  };
  // On failure, the statements that did wait are shown.
  await vi.waitFor(async () => expect(await waiting()).toContainEqual(expect.stringMatching(query)), {
    timeout: 30_000,
    interval: 20,
  });
}

/** What is stored about the account, with its user id and its last membership check. */
async function userRows(username: string) {
  const db = app().db;
  const stored = await storedFor(db, seededId(username));
  const user = await db
    .selectFrom("users")
    .select("id")
    .where("discord_id", "=", seededId(username))
    .executeTakeFirst();
  if (!user) return { ...stored, check: null, id: undefined };
  const check = await db.selectFrom("access_checks").selectAll().where("user_id", "=", user.id).executeTakeFirst();
  return { ...stored, check, id: user.id };
}

describe("at login, with a role required", () => {
  it("a member holding the role gets in; the login asked for guilds.members.read and made one member call", async () => {
    const browser = new TestBrowser();
    const result = await logIn(app(), browser, "nova");
    expect(result).toMatchObject({ status: 302, location: "/dashboard" });
    expect(await callsOn(app().emulator, "guild_member")).toEqual({ "200": 1 });

    const rows = await userRows("nova");
    expect(rows).toMatchObject({ tokens: 1, sessions: 1 });
    expect(rows.check).toMatchObject({ guild_id: HQ, role_ids: [MODERATOR], unconfirmed_since: null });
    const tokens = await app().db.selectFrom("discord_tokens").select("scopes").executeTakeFirstOrThrow();
    expect(tokens.scopes.split(" ")).toContain("guilds.members.read");

    const page = await browser.get(dashboard.loader, "/dashboard");
    expect(page.status).toBe(200);
    expect(page.data.access).toMatchObject({ roles: ["Moderator"], unconfirmed: null, confirmedAgo: "just now" });
    expect(page.data.access.server.id).toBe(HQ);
  });

  it.each([
    ["quietfern", "not_member"],
    ["guildhopper", "missing_role"],
  ])("%s is refused (%s): nothing is stored and the grant just made is revoked", async (username, reason) => {
    const browser = new TestBrowser();
    const result = await logIn(app(), browser, username);
    expect(result).toMatchObject({ status: 302, location: `/access-refused?reason=${reason}` });
    expect(result.headers.getSetCookie().join("\n")).not.toMatch(/^session=[^;]/m);
    expect(await userRows(username)).toMatchObject({ user: false, tokens: 0, sessions: 0 });

    expect((await counters(app().emulator)).revocations).toBe(1);
    for (const token of await app().issuedTokens(seededId(username))) {
      expect((await api(app().emulator, "/users/@me", token)).status).toBe(401);
    }

    const page = await browser.get(accessRefused.loader, result.location!);
    expect(page.status).toBe(200);
    expect(page.data.reason).toBe(reason);
    expect(page.data.rules).toMatchObject({
      roles: ["Moderator"],
      inviteUrl: `${app().emulator.url}/invite/${EMULATOR_HQ_INVITE_CODE}`,
      graceMinutes: GRACE_MINUTES,
    });
    // Discord tells nobody's token about a server they are not in: the name and icon come from the invite.
    expect(page.data.rules.servers).toEqual([
      { id: HQ, name: "Emulator HQ", iconUrl: expect.stringContaining(`/icons/${HQ}/`) },
    ]);
  });

  it("an unknown reason in the refusal page's address is ignored", async () => {
    const page = await new TestBrowser().get(accessRefused.loader, "/access-refused?reason=<script>");
    expect(page.status).toBe(200);
    expect(page.data.reason).toBeNull();
  });

  it("Discord failing during the check refuses the login with the usual notice, and stores nothing", async () => {
    await app().control("POST", "/faults", { route: "guild_member", count: 1, status: 503 });
    const browser = new TestBrowser();
    // legacyfox holds the role, and logs in nowhere else in this file.
    const result = await logIn(app(), browser, "legacyfox");
    expect(result.location).toMatch(/^\/login/);
    expect((await browser.get(login.loader, result.location!)).status).toBe(200);
    expect((await browser.notice())?.message).toMatch(/Discord is not answering/);
    expect(await userRows("legacyfox")).toMatchObject({ user: false });
    expect((await counters(app().emulator)).revocations).toBe(1);
  });

  it("Discord's rate limit on the member endpoint is passed on: try again in its retry_after", async () => {
    await app().control("POST", "/faults", { route: "guild_member", count: 1, status: 429, retry_after: 7 });
    const browser = new TestBrowser();
    const result = await logIn(app(), browser, "nova");
    await browser.get(login.loader, result.location!);
    expect((await browser.notice())?.message).toMatch(/try again in 7 seconds/);
  });
});

describe("over time", () => {
  it("page loads between checks cost no call to Discord; a due check is one call", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "nova");
    for (let load = 0; load < 5; load += 1)
      expect((await browser.get(dashboard.loader, "/dashboard")).status).toBe(200);
    expect(await callsOn(app().emulator, "guild_member")).toEqual({ "200": 1 });

    at(RECHECK_MINUTES + 1);
    await Promise.all(Array.from({ length: 10 }, () => browser.get(dashboard.loader, "/dashboard")));
    expect(await callsOn(app().emulator, "guild_member")).toEqual({ "200": 2 });
  });

  it("a role removed on Discord ends every session at the next check, and says why", async () => {
    const phone = new TestBrowser();
    const laptop = new TestBrowser();
    await logIn(app(), phone, "nova");
    await logIn(app(), laptop, "nova");
    await removeRole(app().emulator, HQ, seededId("nova"), MODERATOR);
    // Not due yet: the person stays in until the check.
    expect((await laptop.get(dashboard.loader, "/dashboard")).status).toBe(200);

    at(RECHECK_MINUTES + 1);
    const page = await laptop.get(dashboard.loader, "/dashboard");
    expect(page).toMatchObject({ status: 302, location: "/access-refused?reason=role_removed" });
    expect(page.headers.getSetCookie().join("\n")).toMatch(/^session=; Max-Age=0/m);
    expect(await userRows("nova")).toMatchObject({ tokens: 0, sessions: 0 });
    expect((await phone.get(dashboard.loader, "/dashboard")).location).toMatch(/^\/login/);
    // The grant is revoked at Discord too.
    expect((await counters(app().emulator)).revocations).toBe(1);
  });

  it("the JSON API is held to the same check", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "nova");
    await removeRole(app().emulator, HQ, seededId("nova"), MODERATOR);
    at(RECHECK_MINUTES + 1);
    const response = await browser.get(apiUser.loader, "/api/auth/user");
    expect(response.status).toBe(401);
    expect(JSON.parse(response.body)).toMatchObject({ error: "access_ended" });
  });

  it("Discord down during a check: kept in until the deadline, tried again each minute, then refused", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "nova");
    await app().control("POST", "/faults", { route: "guild_member", count: 1000, status: 500 });
    const dashboardStatus = async () => (await browser.get(dashboard.loader, "/dashboard")).status;
    const failedCalls = async () => (await callsOn(app().emulator, "guild_member"))["500"] ?? 0;
    // Confirmed at login: access lasts an interval, then the grace period, without another confirmation.
    const deadline = RECHECK_MINUTES + GRACE_MINUTES;

    at(11); // the check is due: Discord fails
    const during = await browser.get(dashboard.loader, "/dashboard");
    expect(during.status).toBe(200);
    const confirmedAt = (await userRows("nova")).check!.confirmed_at!.getTime();
    const minutesLeft = Math.ceil((confirmedAt + deadline * 60_000 - (start + 11 * 60_000)) / 60_000);
    expect(during.data.access.unconfirmed).toEqual({ sinceAgo: "just now", minutesLeft });
    expect(during.data.access.server.id).toBe(HQ); // what was last confirmed still shows
    const since = (await userRows("nova")).check!.unconfirmed_since!;
    expect(since.getTime()).toBe(start + 11 * 60_000);
    expect(await failedCalls()).toBe(1);

    at(11.5); // not at every page load: a minute after the failure
    expect(await dashboardStatus()).toBe(200);
    expect(await failedCalls()).toBe(1);
    at(12);
    expect(await dashboardStatus()).toBe(200);
    expect(await failedCalls()).toBe(2);
    expect((await userRows("nova")).check!.unconfirmed_since).toEqual(since);

    // The deadline counts from the login's confirmation, which a loaded machine makes
    // seconds after the test began: a second either side of it, not of the test's start.
    const lastMoment = confirmedAt + deadline * 60_000 - 1_000;
    vi.useFakeTimers({ toFake: ["Date"], now: lastMoment });
    expect(await dashboardStatus()).toBe(200);
    expect(await failedCalls()).toBe(3);
    vi.useFakeTimers({ toFake: ["Date"], now: lastMoment + 2_000 }); // over: the check made then fails too
    const after = await browser.get(dashboard.loader, "/dashboard");
    expect(after).toMatchObject({ status: 302, location: "/access-refused?reason=unconfirmed" });
    expect(await failedCalls()).toBe(4);
    expect(await userRows("nova")).toMatchObject({ tokens: 0, sessions: 0 });
  });

  // A row held by another connection needs a Postgres server: the embedded one has a single session.
  it.skipIf(!testServerUrl())(
    "this instance's own backlog (busy) counts like Discord failing: past the deadline, access ends",
    async () => {
      const browser = new TestBrowser();
      await logIn(app(), browser, "nova");
      const { id } = await userRows("nova");
      // The token needs a refresh, and another instance holds its row for longer than this one may wait.
      await app()
        .db.updateTable("discord_tokens")
        .set({ access_token_expires_at: new Date(start - 60_000) })
        .execute();
      let letGo!: () => void;
      const held = new Promise<void>((resolve) => (letGo = resolve));
      let locked!: () => void;
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      const holder = app()
        .db.transaction()
        .execute(async (tx) => {
          await tx.selectFrom("discord_tokens").select("user_id").where("user_id", "=", id!).forUpdate().execute();
          locked();
          await held;
        });
      await isLocked;
      at(RECHECK_MINUTES + GRACE_MINUTES + 1);
      const page = browser.get(dashboard.loader, "/dashboard");
      // The refresh gives up waiting (busy); ending the grant then waits on the same row: let it go.
      // (Each try of vi.waitFor moves the faked Date on by its 20 ms interval: further past the deadline.)
      try {
        await untilWaiting(/^delete from "discord_tokens"/i);
      } finally {
        letGo();
        await holder;
      }
      expect(await page).toMatchObject({ status: 302, location: "/access-refused?reason=unconfirmed" });
      expect(await userRows("nova")).toMatchObject({ tokens: 0, sessions: 0 });
    },
    60_000,
  );

  it("a check that throws gives its lease back: nobody is let in unchecked meanwhile", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "nova");
    // Sealed with a key this instance lacks: the check cannot even read the token, and throws.
    await app()
      .db.updateTable("discord_tokens")
      .set({ access_token_encrypted: "v1.deadbeef.AAAA.AAAA.AAAA" })
      .execute();
    at(RECHECK_MINUTES + 1);
    expect((await browser.get(dashboard.loader, "/dashboard")).status).toBe(503);
    // Given back, due at once, rather than held until its lease runs out.
    expect((await userRows("nova")).check!.next_check_at.getTime()).toBe(start + (RECHECK_MINUTES + 1) * 60_000);
    forgetRememberedStandings(); // as another instance would see it
    expect((await browser.get(dashboard.loader, "/dashboard")).status).toBe(503);
    expect(await callsOn(app().emulator, "guild_member")).toEqual({ "200": 1 }); // the login's: no check reached Discord
  });

  it("a check under way elsewhere lets nobody in on a confirmation older than the deadline", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "nova");
    at(RECHECK_MINUTES + GRACE_MINUTES + 1);
    // Another instance took the check a moment ago (or died holding it): the row holds its lease.
    await app()
      .db.updateTable("access_checks")
      .set({ next_check_at: new Date(start + (RECHECK_MINUTES + GRACE_MINUTES + 1.5) * 60_000) })
      .execute();
    const page = await browser.get(dashboard.loader, "/dashboard");
    expect(page.status).toBe(503);
    expect(page.headers.get("Retry-After")).toBe("5");
    expect(await callsOn(app().emulator, "guild_member")).toEqual({ "200": 1 });
    at(RECHECK_MINUTES + GRACE_MINUTES + 1.5); // the lease ran out: this instance checks, Discord confirms
    expect((await browser.get(dashboard.loader, "/dashboard")).status).toBe(200);
    expect(await callsOn(app().emulator, "guild_member")).toEqual({ "200": 2 });
  });

  it("Discord answering again inside the grace period clears the failure", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "nova");
    await app().control("POST", "/faults", { route: "guild_member", count: 1, status: 429, retry_after: 120 });
    at(11);
    expect((await browser.get(dashboard.loader, "/dashboard")).status).toBe(200);
    // Discord's retry_after (two minutes) is respected.
    expect((await userRows("nova")).check!.next_check_at.getTime()).toBe(start + 13 * 60_000);
    at(12.9);
    expect((await browser.get(dashboard.loader, "/dashboard")).status).toBe(200);
    expect(await callsOn(app().emulator, "guild_member")).toEqual({ "200": 1, "429": 1 });

    at(13);
    const page = await browser.get(dashboard.loader, "/dashboard");
    expect(page.data.access.unconfirmed).toBeNull();
    expect((await userRows("nova")).check).toMatchObject({ unconfirmed_since: null, role_ids: [MODERATOR] });
  });

  it("a grant without guilds.members.read (from before the rules) ends with a request to log in again", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "nova");
    await app().db.updateTable("discord_tokens").set({ scopes: "identify email guilds" }).execute();
    at(RECHECK_MINUTES + 1);
    const page = await browser.get(dashboard.loader, "/dashboard");
    expect(page.location).toMatch(/^\/login\?returnTo=%2Fdashboard/);
    await browser.get(login.loader, page.location!);
    expect((await browser.notice())?.message).toMatch(/log in again/);
    expect(await callsOn(app().emulator, "guild_member")).toEqual({ "200": 1 });
  });

  it("a change of rules makes the check due at once", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "nova");
    await app().db.updateTable("access_checks").set({ rules: "checked under other rules" }).execute();
    forgetRememberedStandings(); // as an instance started with the new rules would
    expect((await browser.get(dashboard.loader, "/dashboard")).status).toBe(200);
    expect(await callsOn(app().emulator, "guild_member")).toEqual({ "200": 2 });
  });

  it("a check scheduled under a longer interval than today's is due at once", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "nova");
    // As ACCESS_RECHECK_MINUTES=1440 left it, before it was lowered to ten.
    await app()
      .db.updateTable("access_checks")
      .set({ next_check_at: new Date(start + 24 * 60 * 60_000) })
      .execute();
    forgetRememberedStandings();
    at(1);
    expect((await browser.get(dashboard.loader, "/dashboard")).status).toBe(200);
    expect(await callsOn(app().emulator, "guild_member")).toEqual({ "200": 2 });
  });

  it("a check under way on another instance: the page is served without a second call", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "nova");
    at(11);
    // Another instance took the check a moment ago: the row holds its lease.
    await app()
      .db.updateTable("access_checks")
      .set({ next_check_at: new Date(start + 11 * 60_000 + 30_000) })
      .execute();
    expect((await browser.get(dashboard.loader, "/dashboard")).status).toBe(200);
    expect(await callsOn(app().emulator, "guild_member")).toEqual({ "200": 1 });
    // Its lease ran out (the instance died mid-check): the check is taken over.
    at(11.6);
    expect((await browser.get(dashboard.loader, "/dashboard")).status).toBe(200);
    expect(await callsOn(app().emulator, "guild_member")).toEqual({ "200": 2 });
  });

  it("a check that outlived its lease does not overwrite the newer answer", async () => {
    await logIn(app(), new TestBrowser(), "nova");
    const { id } = await userRows("nova");
    const check = { rules: "rules", leaseMs: 60_000, intervalMs: RECHECK_MINUTES * 60_000 };
    const slow = await claimAccessCheck(app().db, id!, check, new Date(start + 11 * 60_000));
    const takeover = await claimAccessCheck(app().db, id!, check, new Date(start + 12.5 * 60_000));
    if (!slow.claimed || !takeover.claimed) throw new Error("both claims should have been granted");
    const answer = { guildId: HQ, roleIds: [MODERATOR], nextCheckAt: new Date(start + 22.5 * 60_000) };
    expect(await recordAccessConfirmed(app().db, id!, takeover.lease, answer)).toMatchObject({ guildId: HQ });
    const late = { since: new Date(start + 11 * 60_000), nextCheckAt: new Date(start + 12 * 60_000) };
    expect(await recordAccessUnconfirmed(app().db, id!, slow.lease, late)).toBeNull();
    expect((await userRows("nova")).check).toMatchObject({
      unconfirmed_since: null,
      next_check_at: answer.nextCheckAt,
    });
  });

  it("a grant Discord no longer accepts, found during a check, sends the person to log in again", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "nova");
    // The token is refused, and so is the refreshed one: the grant is gone.
    await app().control("POST", "/faults", { route: "guild_member", count: 2, status: 401 });
    at(11);
    const page = await browser.get(dashboard.loader, "/dashboard");
    expect(page.location).toMatch(/^\/login\?returnTo=%2Fdashboard/);
    await browser.get(login.loader, page.location!);
    expect((await browser.notice())?.message).toMatch(/no longer accepts this app's access/);
    expect(await userRows("nova")).toMatchObject({ tokens: 0, sessions: 0 });
  });

  it("Discord's 403 Missing Access asks for a new login; any other 403 counts as Discord failing", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "nova");
    const blocked = { message: "You are being blocked from accessing our API temporarily", code: 0 };
    await app().control("POST", "/faults", { route: "guild_member", count: 1, status: 403, body: blocked });
    at(11);
    expect((await browser.get(dashboard.loader, "/dashboard")).data.access.unconfirmed).not.toBeNull();
    const missingAccess = { message: "Missing Access", code: 50001 };
    await app().control("POST", "/faults", { route: "guild_member", count: 1, status: 403, body: missingAccess });
    at(12);
    expect((await browser.get(dashboard.loader, "/dashboard")).location).toMatch(/^\/login\?returnTo=%2Fdashboard/);
  });

  it("actions are held to the rules too, except those that only take access away", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "nova");
    await removeRole(app().emulator, HQ, seededId("nova"), MODERATOR);
    at(11);
    // A builder's own action, guarded by requireUser, as every signed-in action should be.
    const action = await browser.post(({ request }) => requireUser(request), "/my-action", {});
    expect(action).toMatchObject({ status: 302, location: "/access-refused?reason=role_removed" });

    const other = new TestBrowser();
    await logIn(app(), other, "legacyfox");
    await removeRole(app().emulator, HQ, seededId("legacyfox"), MODERATOR);
    at(22);
    // Revoking needs no check: it works, and Discord is asked only to revoke.
    const revoked = await other.post(revoke.action, "/revoke", {});
    expect(revoked.location).toBe("/");
    expect((await callsOn(app().emulator, "guild_member"))["200"]).toBe(3); // the two logins and nova's check
  });

  it("one check per person across instances: of many concurrent claims, one is granted", async () => {
    await logIn(app(), new TestBrowser(), "nova");
    const { id } = await userRows("nova");
    const later = new Date(Date.now() + (RECHECK_MINUTES + 1) * 60_000);
    const claims = await Promise.all(
      Array.from({ length: 20 }, () =>
        claimAccessCheck(app().db, id!, { rules: "same rules", leaseMs: 60_000, intervalMs: 600_000 }, later),
      ),
    );
    expect(claims.filter((claim) => claim.claimed)).toHaveLength(1);
  });
});
