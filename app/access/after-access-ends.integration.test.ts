import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as accessRefused from "~/routes/access-refused";
import * as deleteKept from "~/routes/access-refused_.delete";
import * as servers from "~/routes/servers";
import { removeMember, seededGuildId } from "../../emulator/testing/harness";
import { useTestApp } from "../../tests/support/app-harness";
import { logIn } from "../../tests/support/login";
import { TestBrowser } from "../../tests/support/test-browser";
import { forgetRememberedStandings } from "./recheck.server";

// Members only, after access ends: what is still kept is said, and the browser whose
// access ended (or that was refused at a later login) can have it deleted, without a
// session and without JavaScript (docs/decisions/014-deletion-after-access-ends.md).

const HQ = seededGuildId("Emulator HQ");
const app = useTestApp({ env: { ACCESS_GUILD_IDS: HQ } });

beforeEach(() => forgetRememberedStandings());
afterEach(() => {
  vi.useRealTimers();
});

/** A fresh emulated account, a member of Emulator HQ. */
async function member(username: string): Promise<string> {
  const { body } = await app().control("POST", "/accounts", { username, global_name: "Kept Person" });
  await app().control("PUT", `/guilds/${HQ}/members/${body.id}`, { roles: [] });
  return body.id as string;
}

async function keptRows(discordId: string) {
  const users = await app().db.selectFrom("users").select("id").where("discord_id", "=", discordId).execute();
  const checks = await app()
    .db.selectFrom("access_checks")
    .select("user_id")
    .where("user_id", "in", users.length ? users.map((user) => user.id) : ["00000000-0000-4000-8000-000000000000"])
    .execute();
  return { users: users.length, accessChecks: checks.length };
}

/** Signs in, leaves the server, and comes back after the re-check interval: access ends. */
async function accessEndsFor(username: string): Promise<{ browser: TestBrowser; discordId: string }> {
  const discordId = await member(username);
  const browser = new TestBrowser();
  await logIn(app(), browser, discordId);
  await removeMember(app().emulator, HQ, discordId);
  vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 11 * 60_000 });
  const page = await browser.get(servers.loader, "/servers");
  expect(page).toMatchObject({ status: 302, location: "/access-refused?reason=left" });
  return { browser, discordId };
}

const confirmDelete = (browser: TestBrowser, form: Record<string, string> = { confirm: "delete" }) =>
  browser.post(deleteKept.action, "/access-refused/delete", form);

describe("after access ends", () => {
  it("says what is kept, and deletes it for the browser whose access ended, on confirmation", async () => {
    const { browser, discordId } = await accessEndsFor("kept.leaver");
    expect(await keptRows(discordId)).toEqual({ users: 1, accessChecks: 1 });

    const page = await browser.get(accessRefused.loader, "/access-refused?reason=left");
    expect(page.data.kept).toMatchObject({
      displayName: "Kept Person",
      username: "kept.leaver",
      membershipChecked: true,
    });
    // Another browser is told nothing of it.
    expect((await new TestBrowser().get(accessRefused.loader, "/access-refused?reason=left")).data.kept).toBeNull();

    const unconfirmed = await confirmDelete(browser, {});
    expect(unconfirmed.location).toBe("/access-refused");
    expect(await browser.notice()).toMatchObject({ kind: "error", message: expect.stringContaining("Tick the box") });
    expect(await keptRows(discordId)).toEqual({ users: 1, accessChecks: 1 });

    const deleted = await confirmDelete(browser);
    expect(deleted).toMatchObject({ status: 302, location: "/" });
    expect(await browser.notice()).toEqual({
      kind: "success",
      message: "Everything kept here about your account has been deleted.",
    });
    expect(await keptRows(discordId)).toEqual({ users: 0, accessChecks: 0 });
    expect(browser.cookie("access-ended")).toBeUndefined();
  });

  it("offers it to a returning person refused at a later login, who has no session at all", async () => {
    const { discordId } = await accessEndsFor("kept.returning");
    vi.setSystemTime(Date.now() + 60 * 60_000); // long after: that browser has forgotten
    const elsewhere = new TestBrowser();
    expect(await logIn(app(), elsewhere, discordId)).toMatchObject({
      status: 302,
      location: "/access-refused?reason=not_member",
    });
    expect((await elsewhere.get(accessRefused.loader, "/access-refused?reason=not_member")).data.kept).toMatchObject({
      username: "kept.returning",
    });
    expect(await confirmDelete(elsewhere)).toMatchObject({ status: 302, location: "/" });
    expect(await keptRows(discordId)).toEqual({ users: 0, accessChecks: 0 });
  });

  it("offers nothing to someone refused at login while still signed in elsewhere: that access has not ended", async () => {
    const discordId = await member("kept.elsewhere");
    const signedIn = new TestBrowser();
    await logIn(app(), signedIn, discordId);
    await removeMember(app().emulator, HQ, discordId);
    const refused = new TestBrowser();
    expect((await logIn(app(), refused, discordId)).location).toBe("/access-refused?reason=not_member");
    expect(refused.cookie("access-ended")).toBeUndefined();
    expect((await refused.get(accessRefused.loader, "/access-refused?reason=not_member")).data.kept).toBeNull();
  });

  it("refused at a first login, there is nothing kept and nothing offered", async () => {
    const { body } = await app().control("POST", "/accounts", { username: "kept.stranger" });
    const browser = new TestBrowser();
    expect((await logIn(app(), browser, body.id)).location).toBe("/access-refused?reason=not_member");
    expect(browser.cookie("access-ended")).toBeUndefined();
    expect((await browser.get(accessRefused.loader, "/access-refused?reason=not_member")).data.kept).toBeNull();
  });

  it("proves nothing once the person has signed in again, nor after a quarter of an hour", async () => {
    const { browser, discordId } = await accessEndsFor("kept.back");
    // They rejoin and sign in again elsewhere: that account is in use.
    await app().control("PUT", `/guilds/${HQ}/members/${discordId}`, { roles: [] });
    vi.setSystemTime(Date.now() + 60_000);
    const again = new TestBrowser();
    expect((await logIn(app(), again, discordId)).location).toBe("/dashboard");
    expect((await browser.get(accessRefused.loader, "/access-refused?reason=left")).data.kept).toBeNull();
    await confirmDelete(browser);
    expect(await keptRows(discordId)).toEqual({ users: 1, accessChecks: 1 });

    const { browser: late, discordId: lateId } = await accessEndsFor("kept.late");
    vi.setSystemTime(Date.now() + 16 * 60_000);
    expect((await late.get(accessRefused.loader, "/access-refused?reason=left")).data.kept).toBeNull();
    expect((await confirmDelete(late)).location).toBe("/access-refused");
    expect(await late.notice()).toMatchObject({ message: expect.stringContaining("no longer knows") });
    expect(await keptRows(lateId)).toEqual({ users: 1, accessChecks: 1 });
  });

  it("refuses a forged cookie, and a deletion posted from another site", async () => {
    const { browser, discordId } = await accessEndsFor("kept.guarded");
    const forged = browser.clone();
    forged.setCookie(
      "access-ended",
      browser.cookie("access-ended")!.replace(/.$/, (last) => (last === "A" ? "B" : "A")),
    );
    await confirmDelete(forged);
    const foreign = await browser.post(
      deleteKept.action,
      "/access-refused/delete",
      { confirm: "delete" },
      { Origin: "https://evil.example" },
    );
    expect(foreign.status).toBe(403);
    expect(await keptRows(discordId)).toEqual({ users: 1, accessChecks: 1 });
  });
});
