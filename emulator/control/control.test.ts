import { request as httpRequest } from "node:http";
import type { Socket } from "node:net";
import { networkInterfaces } from "node:os";
import { describe, expect, it } from "vitest";
import { ADMINISTRATOR, ALL_PERMISSIONS, ORDINARY_MEMBER } from "../discord/permissions";
import { startEmulator } from "../server";
import { api, control, login, seededId, tokenRequest, useEmulator } from "../testing/harness";
import { controlRefusal } from "./local-only";

const emulator = useEmulator();

describe("accounts", () => {
  it("lists the seeded accounts with their private fields", async () => {
    const { status, body } = await control(emulator(), "GET", "/accounts");
    expect(status).toBe(200);
    expect(body.map((account: { username: string }) => account.username).sort()).toEqual([
      "guildhopper",
      "legacyfox",
      "nova",
      "pixelpine",
      "quietfern",
      "ursa.minor",
    ]);
    expect(body.find((account: { username: string }) => account.username === "ursa.minor")).toMatchObject({
      email: "ursa@example.org",
      verified: false,
    });
  });

  it("creates an account that can log in", async () => {
    const created = await control(emulator(), "POST", "/accounts", {
      username: "new.person",
      global_name: "New Person",
      email: "new@example.com",
      verified: true,
      avatar: true,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      username: "new.person",
      global_name: "New Person",
      discriminator: "0",
      email: "new@example.com",
      verified: true,
    });
    expect(created.body.avatar).toMatch(/^[0-9a-f]{32}$/);
    const { access_token } = await login(emulator(), created.body.id, "identify email");
    expect((await api(emulator(), "/users/@me", access_token)).body.username).toBe("new.person");
    expect((await fetch(`${emulator().url}/avatars/${created.body.id}/${created.body.avatar}.png`)).status).toBe(200);
  });

  it.each([
    [{ username: "Caps" }, "username", "may only contain lowercase letters"],
    [{ username: "nova" }, "username", "is already taken"],
    [{ username: "x" }, "username", "must be 2 to 32 characters long"],
    [{ username: "ok.name", email: "not-an-email" }, "email", "must be an email address"],
    [{ username: "ok.name", verified: true }, "verified", "can only be true with an email"],
    [{ username: "ok.name", avatar: "yes" }, "avatar", "must be true"],
    [{}, "username", "must be a string"],
  ])("rejects %o naming %s", async (body, field, message) => {
    const response = await control(emulator(), "POST", "/accounts", body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: "invalid_body", field });
    expect(response.body.message).toContain(message);
  });

  it("refuses bodies that are not JSON", async () => {
    const notJson = await fetch(`${emulator().url}/_emulator/accounts`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{",
    });
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error).toBe("invalid_json");
    const form = await fetch(`${emulator().url}/_emulator/accounts`, {
      method: "POST",
      body: new URLSearchParams({ username: "x" }),
    });
    expect(form.status).toBe(415);
  });
});

describe("guilds", () => {
  it("creates a server with an owner and members that shows up in their lists", async () => {
    const nova = seededId("nova");
    const pixel = seededId("pixelpine");
    const created = await control(emulator(), "POST", "/guilds", {
      name: "Test Server",
      owner_id: pixel,
      icon: true,
      members: [{ account_id: nova, permissions: (ORDINARY_MEMBER | ADMINISTRATOR).toString() }],
      approximate_member_count: 40,
      approximate_presence_count: 5,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "Test Server", owner_id: pixel, approximate_member_count: 40 });

    const { access_token } = await login(emulator(), pixel, "guilds");
    const guilds = (await api(emulator(), "/users/@me/guilds?with_counts=true", access_token)).body as {
      id: string;
      owner: boolean;
      permissions: string;
    }[];
    expect(guilds.find((guild) => guild.id === created.body.id)).toMatchObject({
      owner: true,
      permissions: ALL_PERMISSIONS.toString(),
      approximate_presence_count: 5,
    });
    expect((await fetch(`${emulator().url}/icons/${created.body.id}/${created.body.icon}.png`)).status).toBe(200);
  });

  it.each([
    [{ name: "x" }, "name"],
    [{ name: "Server", owner_id: "123" }, "owner_id"],
    [{ name: "Server", members: [{ account_id: "nope" }] }, "members.0.account_id"],
    [{ name: "Server", members: [{ account_id: "1" }] }, "members.0.account_id"],
    [{ name: "Server", members: [{ account_id: seededId("nova"), permissions: "-8" }] }, "members.0.permissions"],
    [{ name: "Server", approximate_presence_count: 3 }, "approximate_presence_count"],
  ])("rejects %o naming %s", async (body, field) => {
    expect(await control(emulator(), "POST", "/guilds", body)).toMatchObject({
      status: 400,
      body: { error: "invalid_body", field },
    });
  });
});

describe("tokens", () => {
  it("lists current and past tokens with whether each still works", async () => {
    const nova = seededId("nova");
    const first = await login(emulator(), nova, "identify");
    const refreshed = await tokenRequest(emulator(), {
      grant_type: "refresh_token",
      refresh_token: first.refresh_token,
    });
    await control(emulator(), "POST", `/accounts/${nova}/expire-tokens`);

    const { body } = await control(emulator(), "GET", `/tokens?account_id=${nova}`);
    const byValue = Object.fromEntries(body.tokens.map((token: { token: string }) => [token.token, token]));
    expect(byValue[first.access_token]).toMatchObject({
      type: "access",
      valid: false,
      status: "expired",
      scopes: ["identify"],
    });
    expect(byValue[first.refresh_token]).toMatchObject({
      type: "refresh",
      valid: false,
      status: "rotated",
      expires_at: null,
    });
    expect(byValue[refreshed.body.access_token]).toMatchObject({ valid: false, status: "expired" });
    expect(byValue[refreshed.body.refresh_token]).toMatchObject({ valid: true, status: "valid" });
  });

  it("needs a known account_id", async () => {
    expect(await control(emulator(), "GET", "/tokens")).toMatchObject({ status: 400, body: { field: "account_id" } });
    expect((await control(emulator(), "GET", "/tokens?account_id=42")).status).toBe(404);
    expect((await control(emulator(), "POST", "/accounts/42/expire-tokens")).status).toBe(404);
  });
});

describe("reset", () => {
  it("restores the seed and forgets tokens, accounts and rules", async () => {
    const { access_token } = await login(emulator(), seededId("nova"), "identify");
    await control(emulator(), "POST", "/accounts", { username: "temporary" });
    await control(emulator(), "POST", "/faults", { route: "users_me", count: 1, status: 500 });
    expect(await control(emulator(), "POST", "/reset")).toMatchObject({ status: 200, body: { reset: true } });
    expect((await api(emulator(), "/users/@me", access_token)).status).toBe(401);
    const usernames = (await control(emulator(), "GET", "/accounts")).body.map(
      (account: { username: string }) => account.username,
    );
    expect(usernames).not.toContain("temporary");
  });
});

describe("unknown routes", () => {
  it("answers Discord-style 404 and 405", async () => {
    expect(await control(emulator(), "GET", "/nothing")).toMatchObject({
      status: 404,
      body: { message: "404: Not Found", code: 0 },
    });
    expect((await control(emulator(), "PUT", "/reset")).status).toBe(405);
  });
});

/** An address of this machine that is not loopback, to reach a server as another machine would (if there is one). */
const externalAddress = Object.values(networkInterfaces())
  .flat()
  .find((address) => address?.family === "IPv4" && !address.internal)?.address;

describe("who may use the control API", () => {
  /** A raw request, so Host and Origin are exactly what a browser or a rebinding page would send. */
  function rawRequest(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: string,
    to = { host: "127.0.0.1", port: new URL(emulator().url).port },
  ) {
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest({ ...to, method, path, headers }, (res) => {
        let text = "";
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode!, body: text }));
      });
      req.on("error", reject);
      req.end(body);
    });
  }

  it("refuses a web page on another site, even with a 'simple' text/plain POST", async () => {
    const before = await control(emulator(), "GET", "/accounts");
    const created = await rawRequest(
      "POST",
      "/_emulator/accounts",
      { Origin: "http://evil.example", "Content-Type": "text/plain" },
      JSON.stringify({ username: "planted", global_name: "Planted" }),
    );
    expect(created.status).toBe(403);
    expect(JSON.parse(created.body).message).toMatch(/does not answer web pages/);
    expect((await control(emulator(), "GET", "/accounts")).body).toEqual(before.body);
  });

  it("refuses a name rebound to this machine (DNS rebinding): no tokens leave", async () => {
    await login(emulator(), seededId("nova"));
    const tokens = await rawRequest("GET", `/_emulator/tokens?account_id=${seededId("nova")}`, {
      Host: `rebind.evil.example:${new URL(emulator().url).port}`,
    });
    expect(tokens.status).toBe(403);
    expect(tokens.body).not.toMatch(/"token"/);
  });

  it("decides by the address that connected, not by the Host a client names", () => {
    const from = (remoteAddress: string, host = "localhost:3001") =>
      controlRefusal({ socket: { remoteAddress } as Socket, headers: { host } });
    expect(from("192.0.2.7")).toMatch(/only answers programs on this machine \(this request came from 192\.0\.2\.7\)/);
    expect(from("2001:db8::7", "127.0.0.1:3001")).toMatch(/only answers programs on this machine/);
    expect(from("::ffff:192.0.2.7")).toMatch(/only answers programs on this machine/);
    for (const local of ["127.0.0.1", "127.0.0.2", "::1", "::ffff:127.0.0.1"]) expect(from(local), local).toBeNull();
  });

  it.skipIf(!externalAddress)(
    "refuses a client on another machine even when the emulator listens everywhere and it names localhost",
    async () => {
      const everywhere = await startEmulator({ port: 0, host: "0.0.0.0" });
      try {
        await login(everywhere, seededId("nova"));
        const { port } = new URL(everywhere.url);
        const tokens = await rawRequest(
          "GET",
          `/_emulator/tokens?account_id=${seededId("nova")}`,
          { Host: `localhost:${port}` },
          undefined,
          { host: externalAddress!, port },
        );
        expect(tokens.status).toBe(403);
        expect(tokens.body).not.toMatch(/"token"/);
        expect((await control(everywhere, "GET", "/counters")).status).toBe(200); // this machine still may
      } finally {
        await everywhere.close();
      }
    },
  );

  it("answers programs on this machine by any loopback name", async () => {
    for (const host of ["127.0.0.1", "localhost", "[::1]"]) {
      const counters = await rawRequest("GET", "/_emulator/counters", {
        Host: `${host}:${new URL(emulator().url).port}`,
      });
      expect(counters.status, host).toBe(200);
    }
  });

  it("leaves Discord's own routes to browsers: the consent page and token endpoint ignore Origin", async () => {
    const page = await rawRequest("GET", `/oauth2/authorize?client_id=${emulator().clientId}`, {
      Origin: "http://evil.example",
      Host: "discord.example",
    });
    expect(page.status).toBe(400); // an incomplete request, answered as Discord would, not refused
    const token = await rawRequest("POST", "/api/v10/oauth2/token", {
      Origin: "http://evil.example",
      "Content-Type": "application/x-www-form-urlencoded",
    });
    expect(token.status).toBe(401); // no client credentials
  });
});
