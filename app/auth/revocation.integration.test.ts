import { describe, expect, it } from "vitest";
import { getConfig } from "~/config.server";
import * as deleteAccount from "~/routes/account.delete_.confirm";
import * as dashboard from "~/routes/dashboard";
import * as revoke from "~/routes/revoke";
import { api, counters, issuedTokens, seededId } from "../../emulator/testing/harness";
import { useTestApp } from "../../tests/support/app-harness";
import { logIn } from "../../tests/support/login";
import { TestBrowser } from "../../tests/support/test-browser";
import { storedFor } from "../../tests/support/row-counts";

const app = useTestApp();

const rowsOf = (username: string) => storedFor(app().db, seededId(username));

/** Whether the access tokens Discord issued for the account still work there. */
async function grantAlive(username: string): Promise<boolean> {
  const access = (await issuedTokens(app().emulator, seededId(username))).filter((token) => token.type === "access");
  const statuses = await Promise.all(
    access.map(async (token) => (await api(app().emulator, "/users/@me", token.token)).status),
  );
  return statuses.includes(200);
}

describe("POST /revoke", () => {
  it("revokes the grant at Discord, forgets tokens and every session, and says so", async () => {
    const laptop = new TestBrowser();
    const phone = new TestBrowser();
    await logIn(app(), laptop, "nova");
    await logIn(app(), phone, "nova");
    expect(await rowsOf("nova")).toEqual({ user: true, tokens: 1, sessions: 2 });

    const result = await laptop.post(revoke.action, "/revoke");
    expect(result).toMatchObject({ status: 302, location: "/" });
    expect((await laptop.notice())!.message).toMatch(/revoked this app's access/);
    expect(await rowsOf("nova")).toEqual({ user: true, tokens: 0, sessions: 0 });
    expect(await grantAlive("nova")).toBe(false);
    expect((await counters(app().emulator)).revocations).toBe(1);
    expect((await phone.get(dashboard.loader, "/dashboard")).status).toBe(302);
  });

  it.each([
    [{ status: 503 }, /try again in a moment/],
    [{ delay_ms: 3500 }, /try again in a moment/],
    [{ status: 429, retry_after: 12 }, /try again in 12 seconds/],
  ])("changes nothing when Discord cannot confirm (%j), and tells the person", async (fault, message) => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "pixelpine");
    const before = await rowsOf("pixelpine");
    await app().control("POST", "/faults", { route: "revoke", count: 1, ...fault });
    const result = await browser.post(revoke.action, "/revoke");
    expect(result).toMatchObject({ status: 302, location: "/dashboard" });
    const page = await browser.get(dashboard.loader, "/dashboard");
    expect(page.status).toBe(200);
    const notice = await browser.notice();
    expect(notice).toMatchObject({ kind: "error", message: expect.stringMatching(/nothing was changed/) });
    expect(notice!.message).toMatch(message);
    expect(await rowsOf("pixelpine")).toEqual(before);
    expect(await grantAlive("pixelpine")).toBe(true);
  });

  it("counts a token Discord calls already invalid as revoked", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "ursa.minor");
    await app().control("POST", "/faults", {
      route: "revoke",
      count: 1,
      status: 400,
      body: { error: "invalid_grant" },
    });
    expect(await browser.post(revoke.action, "/revoke")).toMatchObject({ status: 302, location: "/" });
    expect(await rowsOf("ursa.minor")).toMatchObject({ tokens: 0, sessions: 0 });
  });

  it("still forgets everything here when the stored tokens can never be read, and says what is left to do", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "quietfern");
    const { id: keyId } = getConfig().tokenEncryptionKeys[0]!;
    // Damaged beyond any key's reach: the right key, a wrong seal.
    await app()
      .db.updateTable("discord_tokens")
      .set({ refresh_token_encrypted: `v1.${keyId}.AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA` })
      .execute();
    expect(await browser.post(revoke.action, "/revoke")).toMatchObject({ status: 302, location: "/" });
    const notice = (await browser.notice())!.message;
    expect(notice).toMatch(/revoked this app's access/);
    expect(notice).toMatch(/Authorized Apps/);
    expect(await rowsOf("quietfern")).toMatchObject({ tokens: 0, sessions: 0 });
  });

  it("changes nothing while the tokens are sealed with a key this instance lacks: a 503", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "ursa.minor");
    const before = await rowsOf("ursa.minor");
    // As on an instance started without the key that sealed them.
    await app()
      .db.updateTable("discord_tokens")
      .set({ refresh_token_encrypted: "v1.deadbeef.AAAA.AAAA.AAAA" })
      .execute();
    expect((await browser.post(revoke.action, "/revoke")).status).toBe(503);
    expect(await rowsOf("ursa.minor")).toEqual(before);
  });

  it("is a POST from this site only", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "legacyfox");
    expect(await browser.get(revoke.loader, "/revoke")).toMatchObject({ status: 302, location: "/dashboard" });
    expect((await browser.post(revoke.action, "/revoke", {}, { Origin: "https://evil.example" })).status).toBe(403);
    expect(await rowsOf("legacyfox")).toMatchObject({ tokens: 1 });
    expect(await grantAlive("legacyfox")).toBe(true);
  });
});

describe("deleting the account", () => {
  it("needs the explicit confirmation", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "ursa.minor");
    const result = await browser.post(deleteAccount.action, "/account/delete/confirm", {});
    expect(result).toMatchObject({ status: 302, location: "/account/delete" });
    expect((await browser.notice())!.message).toMatch(/confirm/);
    expect(await rowsOf("ursa.minor")).toMatchObject({ user: true, tokens: 1 });
  });

  it("revokes the grant, deletes the user and everything linked, and ends every session", async () => {
    const browser = new TestBrowser();
    const other = new TestBrowser();
    await logIn(app(), browser, "quietfern");
    await logIn(app(), other, "quietfern");
    const result = await browser.post(deleteAccount.action, "/account/delete/confirm", { confirm: "delete" });
    expect(result).toMatchObject({ status: 302, location: "/" });
    expect((await browser.notice())!.message).toMatch(/account and everything stored about it have been deleted/);
    expect(await rowsOf("quietfern")).toEqual({ user: false, tokens: 0, sessions: 0 });
    expect(await grantAlive("quietfern")).toBe(false);
    expect((await other.get(dashboard.loader, "/dashboard")).status).toBe(302);
  });

  it("still deletes everything here when Discord refuses for good, and says what is left to do", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "ursa.minor");
    // As after the app's client secret was rotated: 401 invalid_client, which no retry fixes.
    await app().control("POST", "/faults", {
      route: "revoke",
      count: 1,
      status: 401,
      body: { error: "invalid_client" },
    });
    const result = await browser.post(deleteAccount.action, "/account/delete/confirm", { confirm: "delete" });
    expect(result).toMatchObject({ status: 302, location: "/" });
    expect((await browser.notice())!.message).toMatch(/deleted.*Discord could not be told.*Authorized Apps/s);
    expect(await rowsOf("ursa.minor")).toEqual({ user: false, tokens: 0, sessions: 0 });
  });

  it("deletes nothing when Discord is down", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "guildhopper");
    await app().control("POST", "/faults", { route: "revoke", count: 1, status: 500 });
    const result = await browser.post(deleteAccount.action, "/account/delete/confirm", { confirm: "delete" });
    expect(result).toMatchObject({ status: 302, location: "/account/delete" });
    expect((await browser.notice())!.message).toMatch(/nothing was changed/);
    expect(await rowsOf("guildhopper")).toMatchObject({ user: true, tokens: 1, sessions: 1 });
  });
});
