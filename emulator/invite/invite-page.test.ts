import { describe, expect, it } from "vitest";
import { EMULATOR_HQ_INVITE_CODE, api, control, login, seededGuildId, seededId, useEmulator } from "../testing/harness";
import { guildInitials } from "./invite-page";

const emulator = useEmulator();

const inviteUrl = (code: string) => `${emulator().url}/invite/${code}`;

function acceptInvite(code: string, fields: Record<string, string>): Promise<Response> {
  return fetch(inviteUrl(code), { method: "POST", body: new URLSearchParams(fields), redirect: "manual" });
}

/** The chooser's entries, keyed by account id. */
function accountLabels(page: string): Map<string, string> {
  const labels = [...page.matchAll(/<label class="account[^"]*">([\s\S]*?)<\/label>/g)].map((match) => match[1]!);
  return new Map(labels.map((label) => [/value="(\d+)"/.exec(label)![1]!, label]));
}

const HQ = seededGuildId("Emulator HQ");

describe("GET /invite/{code}", () => {
  it("shows a script-free invite to the server with its icon, counts and every account", async () => {
    const response = await fetch(inviteUrl(EMULATOR_HQ_INVITE_CODE));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
    const page = await response.text();
    expect(page).not.toMatch(/<script/i);
    expect(page).toContain("You've been invited to join");
    expect(page).toContain("<h1>Emulator HQ</h1>");
    expect(page).toMatch(new RegExp(`<img src="/icons/${HQ}/[0-9a-f]{32}\\.png\\?size=128"`));
    expect(page).toContain("412 Online · 1,523 Members");
    expect(page).toContain('<form method="post" action="/invite/emulator-hq">');
    expect(page).toMatch(/<button type="submit">Accept Invite<\/button>/);

    const labels = accountLabels(page);
    expect(labels.size).toBe(6);
    // quietfern is the only seeded account outside Emulator HQ: selectable, and preselected.
    const fern = labels.get(seededId("quietfern"))!;
    expect(fern).toContain("@quietfern");
    expect(fern).toMatch(/value="\d+" checked>/);
    expect(fern).not.toContain("Already a member");
    const nova = labels.get(seededId("nova"))!;
    expect(nova).toContain("Nova Quinn");
    expect(nova).toContain(" disabled");
    expect(nova).toContain("Already a member");
    expect(labels.get(seededId("legacyfox"))).toContain("legacyfox#4821");
  });

  it("shows initials for a server without an icon", async () => {
    const page = await (await fetch(inviteUrl("pine-forest"))).text();
    expect(page).toContain('<div class="guild-icon">PF</div>');
    expect(guildInitials("Nova's Cool  Place")).toBe("NCP");
  });

  it("preselects the account the consent page remembered, if it can still join", async () => {
    const headers = { Cookie: `discord_emulator_account=${seededId("quietfern")}` };
    const page = await (await fetch(inviteUrl("night-owls"), { headers })).text();
    expect(accountLabels(page).get(seededId("quietfern"))).toMatch(/checked>/);
    expect(accountLabels(page).get(seededId("ursa.minor"))).not.toMatch(/checked>/);
  });

  it("answers an unknown code with a 404 invalid-invite page", async () => {
    const response = await fetch(inviteUrl("no-such-invite"));
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const page = await response.text();
    expect(page).toContain("Invite Invalid");
    expect(page).toContain("This invite may be expired");
    expect(page).not.toContain("<form");
  });

  it("escapes the server name", async () => {
    const created = await control(emulator(), "POST", "/guilds", {
      name: `<script>alert("x")</script> & Co`,
      owner_id: seededId("nova"),
    });
    expect(created.status).toBe(201);
    const page = await (await fetch(inviteUrl(created.body.invite_code))).text();
    expect(page).not.toContain("<script>");
    expect(page).toContain("<h1>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co</h1>");
    expect(page).toContain('<div class="guild-icon">&lt;&amp;C</div>');
  });
});

describe("POST /invite/{code}", () => {
  it.each([
    ["another site", { Origin: "http://evil.example" }],
    ["the app, on another port of this machine", { Origin: "http://localhost:3000" }],
    ["a cross-site page, as Sec-Fetch-Site says", { "Sec-Fetch-Site": "cross-site" }],
  ])("refuses a join sent from %s: 403, nobody joins", async (_from, headers) => {
    const fern = seededId("quietfern");
    const response = await fetch(inviteUrl(EMULATOR_HQ_INVITE_CODE), {
      method: "POST",
      body: new URLSearchParams({ account_id: fern }),
      headers,
      redirect: "manual",
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("Request refused");
    const guild = await control(emulator(), "GET", `/guilds/${HQ}`);
    expect(guild.body.members).not.toContainEqual(expect.objectContaining({ account_id: fern }));
  });

  it("makes the account an ordinary member without roles, then confirms without redirecting", async () => {
    const fern = seededId("quietfern");
    const response = await acceptInvite(EMULATOR_HQ_INVITE_CODE, { account_id: fern });
    expect(response.status).toBe(200);
    expect(response.headers.get("location")).toBeNull();
    const page = await response.text();
    expect(page).toContain("quietfern joined Emulator HQ. Go back to the app and log in again.");
    expect(page).not.toMatch(/http-equiv="refresh"/i);

    const { access_token } = await login(emulator(), fern, "identify guilds.members.read");
    const member = await api(emulator(), `/users/@me/guilds/${HQ}/member`, access_token);
    expect(member.status).toBe(200);
    expect(member.body).toMatchObject({ roles: [], nick: null });
    expect(Date.now() - Date.parse(member.body.joined_at)).toBeLessThan(60_000);

    const guild = await control(emulator(), "GET", `/guilds/${HQ}`);
    expect(guild.body.members).toContainEqual(
      expect.objectContaining({ account_id: fern, permissions: "2218118209", roles: [] }),
    );
    // The invite page now lists the account as a member.
    const again = await (await fetch(inviteUrl(EMULATOR_HQ_INVITE_CODE))).text();
    expect(accountLabels(again).get(fern)).toContain("Already a member");
    expect(again).toContain("Every emulated account is already a member of Emulator HQ.");
  });

  it("says so, and changes nothing, for an account that is already a member", async () => {
    const before = await control(emulator(), "GET", `/guilds/${HQ}`);
    const response = await acceptInvite(EMULATOR_HQ_INVITE_CODE, { account_id: seededId("legacyfox") });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("legacyfox is already a member of Emulator HQ.");
    expect((await control(emulator(), "GET", `/guilds/${HQ}`)).body).toEqual(before.body);
  });

  it.each([
    ["an unknown account", { account_id: "999999999999999999" }, "That account does not exist."],
    ["no account", {}, "Choose an account to join with."],
  ])("shows the invite again with a 400 for %s", async (_, fields, problem) => {
    const response = await acceptInvite(EMULATOR_HQ_INVITE_CODE, fields);
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain(problem);
    expect(page).toContain("<h1>Emulator HQ</h1>");
  });

  it("answers an unknown invite with the 404 page", async () => {
    const response = await acceptInvite("no-such-invite", { account_id: seededId("quietfern") });
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("Invite Invalid");
  });

  it("only reads form-encoded bodies", async () => {
    const response = await fetch(inviteUrl(EMULATOR_HQ_INVITE_CODE), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ account_id: seededId("quietfern") }),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("application/x-www-form-urlencoded");
    const member = await control(emulator(), "GET", `/guilds/${HQ}`);
    expect(member.body.members.map((m: { account_id: string }) => m.account_id)).not.toContain(seededId("quietfern"));
  });

  it("counts page views and joins under the invite_page route key", async () => {
    await fetch(inviteUrl(EMULATOR_HQ_INVITE_CODE));
    await acceptInvite("no-such-invite", {});
    const counters = await control(emulator(), "GET", "/counters");
    expect(counters.body.api_calls.invite_page).toEqual({ "200": 1, "404": 1 });
  });
});
