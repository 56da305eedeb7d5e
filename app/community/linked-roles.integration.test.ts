import { beforeEach, describe, expect, it, vi } from "vitest";
import { getConfig } from "~/config.server";
import * as authDiscord from "~/routes/auth.discord";
import * as linkedRoles from "~/routes/linked-roles";
import * as revoke from "~/routes/revoke";
import { callsOn } from "../../emulator/testing/harness";
import { useTestApp } from "../../tests/support/app-harness";
import { answerConsent, finishLogin, logIn } from "../../tests/support/login";
import { TestBrowser } from "../../tests/support/test-browser";
import { checkRoleConnectionMetadata, registerRoleConnectionMetadata } from "./linked-roles.server";

// The app as a Linked Roles verification provider, logging in with `identify email`.
const app = useTestApp({
  env: (emulator) => ({
    DISCORD_SCOPES: "identify email",
    DISCORD_BOT_TOKEN: emulator.botToken,
    LINKED_ROLES: "true",
    LOG_LEVEL: "warn",
  }),
});

// The emulator forgets the records at each reset, as an application would have none yet.
beforeEach(async () => {
  await registerRoleConnectionMetadata(getConfig());
});

interface SeenConnection {
  account_id: string;
  platform_name: string | null;
  platform_username: string | null;
  metadata: Record<string, string>;
}
const connectionsAtDiscord = async () =>
  (await app().control("GET", "/role-connections")).body.connections as SeenConnection[];

async function signedIn(name: string, verified = true) {
  const account = await app().control("POST", "/accounts", {
    username: name,
    email: `${name}@example.com`,
    verified,
  });
  const browser = new TestBrowser();
  await logIn(app(), browser, account.body.id);
  return { browser, id: account.body.id as string };
}

/** "Connect for Linked Roles" on the page, answered on Discord by the same account. */
async function connect(browser: TestBrowser, accountId: string) {
  const started = await browser.post(authDiscord.action, "/auth/discord", {
    feature: "linked_roles",
    returnTo: "/linked-roles",
  });
  const authorizeUrl = new URL(started.location!);
  expect(authorizeUrl.searchParams.get("scope")).toBe("identify email role_connections.write");
  return finishLogin(browser, await answerConsent(app(), authorizeUrl, { username: accountId }));
}

const storedUser = (discordId: string) =>
  app().db.selectFrom("users").selectAll().where("discord_id", "=", discordId).executeTakeFirstOrThrow();

describe("Linked Roles", () => {
  it("asks for the scope on its page, then sends the person's details once, with the session kept", async () => {
    const { browser, id } = await signedIn("linkedowl");
    const page = await browser.get(linkedRoles.loader, "/linked-roles");
    expect(page.data).toMatchObject({ connected: false, upToDate: false });
    expect(await callsOn(app().emulator, "role_connection")).toEqual({});

    const back = await connect(browser, id);
    expect(back).toMatchObject({ status: 302, location: "/linked-roles" });
    expect(await browser.notice()).toMatchObject({ kind: "success" });
    expect(await callsOn(app().emulator, "role_connection")).toEqual({ "200": 1 });
    const user = await storedUser(id);
    expect(await connectionsAtDiscord()).toEqual([
      expect.objectContaining({
        account_id: id,
        platform_name: "Remix Discord Login",
        platform_username: "linkedowl",
        metadata: { member_since: user.created_at.toISOString(), email_verified: "1" },
      }),
    ]);
    expect((await browser.get(linkedRoles.loader, "/linked-roles")).data).toMatchObject({
      connected: true,
      upToDate: true,
    });

    // A later plain login asks for DISCORD_SCOPES only: its token cannot write, nothing is sent.
    await logIn(app(), new TestBrowser(), id);
    expect(await callsOn(app().emulator, "role_connection")).toEqual({ "200": 1 });
  });

  it("sends again, at a login that carries the scope, only what differs from what Discord was last sent", async () => {
    const { browser, id } = await signedIn("changingowl", false);
    await connect(browser, id);
    expect((await connectionsAtDiscord())[0]?.metadata.email_verified).toBe("0");
    // Asked again with nothing changed: nothing sent.
    await connect(browser, id);
    expect(await callsOn(app().emulator, "role_connection")).toEqual({ "200": 1 });
    // What was sent then said otherwise (a profile since changed on Discord, say).
    const stale = JSON.stringify({ platform_name: "Remix Discord Login", platform_username: "before" });
    const { id: userId } = await storedUser(id);
    await app().db.updateTable("role_connections").set({ sent: stale }).where("user_id", "=", userId).execute();
    await connect(browser, id);
    expect(await callsOn(app().emulator, "role_connection")).toEqual({ "200": 2 });
    expect((await connectionsAtDiscord())[0]?.platform_username).toBe("changingowl");
  });

  it("keeps the login when Discord refuses the details, says so, and sends them again on request", async () => {
    const { browser, id } = await signedIn("refusedowl");
    await app().control("POST", "/faults", { route: "role_connection", count: 1, status: 500 });
    const back = await connect(browser, id);
    expect(back.location).toBe("/linked-roles");
    expect((await browser.notice())?.message).toContain("Discord did not take your Linked Roles details");
    expect((await browser.get(linkedRoles.loader, "/linked-roles")).data).toMatchObject({
      connected: true,
      upToDate: false,
    });

    const sent = await browser.post(linkedRoles.action, "/linked-roles", {});
    expect(sent).toMatchObject({ status: 302, location: "/linked-roles" });
    expect(await browser.notice()).toMatchObject({ kind: "success" });
    expect((await connectionsAtDiscord()).map((seen) => seen.account_id)).toEqual([id]);
  });

  it("takes the connection back at Discord when the person revokes access", async () => {
    const { browser, id } = await signedIn("leavingowl");
    await connect(browser, id);
    expect(await connectionsAtDiscord()).toHaveLength(1);
    const revoked = await browser.post(revoke.action, "/revoke", {});
    expect(revoked.status).toBe(302);
    expect(await callsOn(app().emulator, "role_connection")).toEqual({ "200": 1, "204": 1 });
    expect(await connectionsAtDiscord()).toEqual([]);
    const user = await storedUser(id);
    const kept = await app()
      .db.selectFrom("role_connections")
      .select("user_id")
      .where("user_id", "=", user.id)
      .execute();
    expect(kept).toEqual([]);
  });

  it("says at start when Discord holds other records, and registers them with the emulator", async () => {
    await app().control("POST", "/reset"); // no records at all
    const errors: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      errors.push(String(chunk));
      return true;
    });
    try {
      await checkRoleConnectionMetadata({ ...getConfig(), usingEmulator: false });
      expect(errors.join("")).toContain("fix=run npm run discord:linked-roles");
      await checkRoleConnectionMetadata({ ...getConfig(), usingEmulator: true });
      const held = (await app().control("GET", "/role-connections")).body.metadata as { key: string }[];
      expect(held.map((record) => record.key)).toEqual(["member_since", "email_verified"]);
    } finally {
      vi.restoreAllMocks();
    }
  });
});
