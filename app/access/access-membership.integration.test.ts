import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as root from "~/root";
import * as accessRefused from "~/routes/access-refused";
import * as dashboard from "~/routes/dashboard";
import * as login from "~/routes/login";
import * as servers from "~/routes/servers";
import { callsOn, removeMember, seededGuildId, seededId } from "../../emulator/testing/harness";
import { useTestApp } from "../../tests/support/app-harness";
import { logIn } from "../../tests/support/login";
import { TestBrowser } from "../../tests/support/test-browser";
import { forgetRememberedStandings } from "./recheck.server";

const HQ = seededGuildId("Emulator HQ");
const PINE_FOREST = seededGuildId("Pine Forest");

// Membership alone, and DISCORD_SCOPES without `guilds`: the rules add the scope they need.
const app = useTestApp({
  env: {
    ACCESS_GUILD_IDS: `${HQ},${PINE_FOREST}`,
    DISCORD_SCOPES: "identify",
    DISCORD_EMULATOR: "true",
  },
});

beforeEach(() => forgetRememberedStandings());
afterEach(() => {
  vi.useRealTimers();
});

describe("members of any of two servers", () => {
  it("a member gets in after one server-list call, and the server's name and icon are learnt from it", async () => {
    const browser = new TestBrowser();
    expect(await logIn(app(), browser, "pixelpine")).toMatchObject({ status: 302, location: "/dashboard" });
    expect(await callsOn(app().emulator, "guilds")).toEqual({ "200": 1 });
    expect(await callsOn(app().emulator, "guild_member")).toEqual({});
    const scopes = await app().db.selectFrom("discord_tokens").select("scopes").executeTakeFirstOrThrow();
    expect(scopes.scopes).toBe("identify guilds");

    const page = await browser.get(dashboard.loader, "/dashboard");
    // The first required server the person is in, in the order the rules list them.
    expect(page.data.access).toMatchObject({ roles: [], server: { id: HQ, name: "Emulator HQ" } });
    expect(page.data.access.server.iconUrl).toContain(`/icons/${HQ}/`);

    // Someone turned away is then told the server's name, though Discord tells them nothing of it.
    const refusal = await new TestBrowser().get(accessRefused.loader, "/access-refused?reason=not_member");
    expect(refusal.data.rules.servers[0]).toMatchObject({ id: HQ, name: "Emulator HQ" });
  });

  it("a member of the second server only gets in with that one", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "quietfern");
    expect((await browser.get(dashboard.loader, "/dashboard")).data.access.server.id).toBe(PINE_FOREST);
  });

  it("an account in neither is refused, and nothing is stored", async () => {
    const outsider = await app().control("POST", "/accounts", { username: "outsider" });
    const result = await logIn(app(), new TestBrowser(), outsider.body.id);
    expect(result.location).toBe("/access-refused?reason=not_member");
    const stored = await app().db.selectFrom("users").select("id").where("discord_id", "=", outsider.body.id).execute();
    expect(stored).toEqual([]);
  });

  it("leaving the server ends the sessions at the next check", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "legacyfox"); // in Emulator HQ and not in Pine Forest
    await removeMember(app().emulator, HQ, seededId("legacyfox"));
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 11 * 60_000 });
    const page = await browser.get(servers.loader, "/servers");
    expect(page).toMatchObject({ status: 302, location: "/access-refused?reason=left" });
    const refusal = await browser.get(accessRefused.loader, page.location!);
    expect(refusal.data.reason).toBe("left");
    expect((await browser.get(dashboard.loader, "/dashboard")).location).toMatch(/^\/login/);
  });

  it("the servers page marks the required servers, and lists them first", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "nova"); // in both
    const page = await browser.get(servers.loader, "/servers");
    const marked = page.data.servers.filter((server: { required: boolean }) => server.required);
    expect(marked.map((server: { id: string }) => server.id).sort()).toEqual([HQ, PINE_FOREST].sort());
    expect(page.data.servers.slice(0, 2)).toEqual(marked);
  });

  it("the emulator's banner and the login page say who may sign in", async () => {
    await logIn(app(), new TestBrowser(), "pixelpine"); // learns the servers' names
    const layout = await new TestBrowser().get(root.loader, "/");
    expect(layout.data.accessSummary).toBe("members of Emulator HQ or Pine Forest");
    const page = await new TestBrowser().get(login.loader, "/login");
    expect(page.data.membersOnly).toBe("members of Emulator HQ or Pine Forest");
  });
});
