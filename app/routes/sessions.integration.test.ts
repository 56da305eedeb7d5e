import { describe, expect, it } from "vitest";
import * as callback from "~/routes/auth.discord_.callback";
import * as dashboard from "~/routes/dashboard";
import * as sessions from "~/routes/sessions";
import * as sessionsEnd from "~/routes/sessions_.end";
import { useTestApp } from "../../tests/support/app-harness";
import { answerConsent, logIn, startLogin } from "../../tests/support/login";
import { TestBrowser } from "../../tests/support/test-browser";

const app = useTestApp({ env: { TRUST_PROXY: "1" } });

const FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

type SessionRow = { id: string; device: string; ip: string | null; current: boolean };

async function listed(browser: TestBrowser): Promise<SessionRow[]> {
  const page = await browser.get(sessions.loader, "/sessions");
  expect(page.status).toBe(200);
  return page.data.sessions;
}

describe("the sessions page", () => {
  it("lists where you are signed in, with the browser, address and this one marked", async () => {
    const laptop = new TestBrowser(CHROME);
    const desktop = new TestBrowser(FIREFOX);
    await logIn(app(), laptop, "nova");
    await logIn(app(), desktop, "nova");
    const rows = await listed(laptop);
    expect(rows).toHaveLength(2);
    expect(rows.find((row) => row.current)?.device).toBe("Chrome 156 on Linux");
    expect(rows.find((row) => !row.current)?.device).toBe("Firefox 133 on Windows");
  });

  it("records the client address only from the trusted proxy's entry", async () => {
    const browser = new TestBrowser(CHROME);
    const callbackPath = await answerConsent(app(), await startLogin(browser));
    // Behind one trusted proxy: the client forged the first entry; the proxy appended the real one.
    await browser.get(callback.loader, callbackPath, { "X-Forwarded-For": "6.6.6.6, 203.0.113.7" });
    expect((await listed(browser)).find((row) => row.current)?.ip).toBe("203.0.113.7");
  });

  it("ends another session, which is then logged out", async () => {
    const mine = new TestBrowser(CHROME);
    const lost = new TestBrowser(FIREFOX);
    await logIn(app(), mine, "pixelpine");
    await logIn(app(), lost, "pixelpine");
    const target = (await listed(mine)).find((row) => !row.current)!;
    const result = await mine.post(sessionsEnd.action, "/sessions/end", { intent: "end", sessionId: target.id });
    expect(result).toMatchObject({ status: 302, location: "/sessions" });
    expect((await mine.notice())!.message).toBe("Session ended.");
    expect((await lost.get(dashboard.loader, "/dashboard")).status).toBe(302);
    expect((await mine.get(dashboard.loader, "/dashboard")).status).toBe(200);
  });

  it("ends all other sessions at once", async () => {
    const mine = new TestBrowser();
    const others = [new TestBrowser(), new TestBrowser(), new TestBrowser()];
    await logIn(app(), mine, "legacyfox");
    for (const other of others) await logIn(app(), other, "legacyfox");
    await mine.post(sessionsEnd.action, "/sessions/end", { intent: "end-others" });
    expect((await mine.notice())!.message).toBe("Ended 3 other sessions.");
    expect(await listed(mine)).toEqual([expect.objectContaining({ current: true })]);
    for (const other of others) expect((await other.get(dashboard.loader, "/dashboard")).status).toBe(302);
  });

  it("never ends another user's session", async () => {
    const alice = new TestBrowser();
    const bob = new TestBrowser();
    await logIn(app(), alice, "ursa.minor");
    await logIn(app(), bob, "quietfern");
    const bobsSession = (await listed(bob))[0]!.id;
    await alice.post(sessionsEnd.action, "/sessions/end", { intent: "end", sessionId: bobsSession });
    expect((await alice.notice())!.message).toBe("That session had already ended.");
    expect((await bob.get(dashboard.loader, "/dashboard")).status).toBe(200);
  });

  it("logs out when you end the session you are using", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "guildhopper");
    const current = (await listed(browser)).find((row) => row.current)!;
    expect(
      await browser.post(sessionsEnd.action, "/sessions/end", { intent: "end", sessionId: current.id }),
    ).toMatchObject({
      location: "/",
    });
    expect((await browser.get(dashboard.loader, "/dashboard")).status).toBe(302);
  });

  it("refuses unknown requests and foreign origins", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "nova");
    expect((await browser.post(sessionsEnd.action, "/sessions/end", { intent: "explode" })).status).toBe(400);
    const foreign = await browser.post(
      sessionsEnd.action,
      "/sessions/end",
      { intent: "end-others" },
      { Origin: "https://evil.example" },
    );
    expect(foreign.status).toBe(403);
  });

  it.each([
    ["as long as a form may be", "x".repeat(16_000)],
    ["wide characters", "\u3000".repeat(43)],
    ["a session id with one character too many", `${"a".repeat(43)}b`],
    ["SQL", "' or '1'='1"],
    ["empty", ""],
  ])(
    "refuses to end a session named by anything but a session id (%s): 400, nothing ended",
    async (_shape, sessionId) => {
      const browser = new TestBrowser();
      await logIn(app(), browser, "nova");
      const result = await browser.post(sessionsEnd.action, "/sessions/end", { intent: "end", sessionId });
      expect(result.status).toBe(400);
      expect(result.body).toContain("not a request the sessions page sends");
      expect((await browser.get(dashboard.loader, "/dashboard")).status).toBe(200);
    },
  );

  it("updates last seen at most every few minutes", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "pixelpine");
    const sessionRow = async () => {
      const id = (await listed(browser)).find((row) => row.current)!.id;
      return app().db.selectFrom("sessions").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    };
    const initial = await sessionRow();
    await browser.get(dashboard.loader, "/dashboard");
    await browser.get(dashboard.loader, "/dashboard");
    expect((await sessionRow()).last_seen_at).toEqual(initial.last_seen_at);

    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    await app().db.updateTable("sessions").set({ last_seen_at: tenMinutesAgo }).where("id", "=", initial.id).execute();
    await browser.get(dashboard.loader, "/dashboard");
    expect((await sessionRow()).last_seen_at.getTime()).toBeGreaterThan(tenMinutesAgo.getTime() + 9 * 60_000);
  });
});
