import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { describe, expect, it, vi } from "vitest";
import { getConfig, type EncryptionKey } from "~/config.server";
import { createDatabase } from "~/db/db.server";
import { loadTokens, saveTokens } from "~/models/discord-token.server";
import { createSession } from "~/models/session.server";
import { upsertUserFromDiscord } from "~/models/user.server";
import { api, counters, inFlightOn, login, seededId } from "../../emulator/testing/harness";
import { useTestApp } from "../../tests/support/app-harness";
import { testServerUrl } from "../../tests/support/test-database";
import { getAccessToken } from "./access-token.server";
import type { DiscordAccess } from "./discord-access.server";
import { GrantLostError } from "./grant.server";
import { DiscordError } from "./discord-error.server";
import { callAsUser } from "./user-call.server";
import { bareIdentity } from "../../tests/support/identities";

const app = useTestApp();

function context(keys?: EncryptionKey[]): DiscordAccess {
  const config = getConfig();
  return { db: app().db, discord: config.discord, keys: keys ?? config.tokenEncryptionKeys };
}

/** A user who logged in (through the emulator's real OAuth flow) and whose tokens are stored. */
async function loggedInUser(username: string, keys = getConfig().tokenEncryptionKeys) {
  const granted = await login(app().emulator, seededId(username));
  const user = await upsertUserFromDiscord(app().db, bareIdentity(seededId(username), username));
  const tokens = {
    accessToken: granted.access_token,
    refreshToken: granted.refresh_token,
    expiresAt: new Date(Date.now() + granted.expires_in * 1000),
    scopes: granted.scope.split(" "),
  };
  await saveTokens(app().db, user.id, tokens, keys);
  return { user, tokens };
}

async function expireStoredToken(userId: string) {
  await app()
    .db.updateTable("discord_tokens")
    .set({ access_token_expires_at: new Date(Date.now() - 1000) })
    .where("user_id", "=", userId)
    .execute();
}

describe("getAccessToken", () => {
  it("returns the stored token while it has life left, without asking Discord", async () => {
    const { user, tokens } = await loggedInUser("nova");
    expect(await getAccessToken(context(), user.id)).toBe(tokens.accessToken);
    expect((await counters(app().emulator)).refreshes).toBe(0);
  });

  it("refreshes a token near expiry, and stores the rotated pair", async () => {
    const { user, tokens } = await loggedInUser("pixelpine");
    await app()
      .db.updateTable("discord_tokens")
      .set({ access_token_expires_at: new Date(Date.now() + 30_000) })
      .where("user_id", "=", user.id)
      .execute();
    const fresh = await getAccessToken(context(), user.id);
    expect(fresh).not.toBe(tokens.accessToken);
    const stored = await loadTokens(app().db, user.id, getConfig().tokenEncryptionKeys);
    expect(stored).toMatchObject({ accessToken: fresh });
    expect(stored!.refreshToken).not.toBe(tokens.refreshToken);
    expect(stored!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 60 * 60_000);
    expect((await api(app().emulator, "/users/@me", fresh)).status).toBe(200);
    expect(await counters(app().emulator)).toMatchObject({ refreshes: 1, rejected_refresh_reuses: 0 });
  });

  it("refreshes exactly once for 200 concurrent callers on two instances", async () => {
    const { user } = await loggedInUser("legacyfox");
    await expireStoredToken(user.id);
    // A second instance: its own module state (in-process coalescing) and its own pool.
    vi.resetModules();
    const other = await import("./access-token.server");
    expect(other.getAccessToken).not.toBe(getAccessToken);
    const otherDb = createDatabase(app().databaseUrl);
    try {
      const otherContext = { ...context(), db: otherDb };
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, index) =>
          index % 2 === 0 ? getAccessToken(context(), user.id) : other.getAccessToken(otherContext, user.id),
        ),
      );
      expect(new Set(results).size).toBe(1);
      expect(await counters(app().emulator)).toMatchObject({ refreshes: 1, rejected_refresh_reuses: 0 });
    } finally {
      await otherDb.destroy();
    }
  });

  it("replaces a token Discord refused before its time (callAsUser), once for all callers", async () => {
    const { user, tokens } = await loggedInUser("ursa.minor");
    await app().control("POST", `/accounts/${seededId("ursa.minor")}/expire-tokens`);
    const usernames = await Promise.all(
      Array.from({ length: 20 }, () =>
        callAsUser(
          user.id,
          async (accessToken) => {
            const response = await api(app().emulator, "/users/@me", accessToken);
            if (response.status === 401) throw new DiscordError("profile fetch", { kind: "unauthorized" });
            return response.body.username as string;
          },
          context(),
        ),
      ),
    );
    expect(new Set(usernames)).toEqual(new Set(["ursa.minor"]));
    expect(await counters(app().emulator)).toMatchObject({ refreshes: 1, rejected_refresh_reuses: 0 });
    expect((await loadTokens(app().db, user.id, getConfig().tokenEncryptionKeys))!.accessToken).not.toBe(
      tokens.accessToken,
    );
  });

  it("ends the grant on invalid_grant: tokens and sessions are deleted", async () => {
    const { user } = await loggedInUser("quietfern");
    await createSession(app().db, user.id, { userAgent: null, ip: null }, 60_000);
    // The person removed the app in Discord's settings: every token of the grant is dead.
    await app().control("POST", `/accounts/${seededId("quietfern")}/deauthorize`);
    await expireStoredToken(user.id);
    await expect(getAccessToken(context(), user.id)).rejects.toBeInstanceOf(GrantLostError);
    expect(await app().db.selectFrom("discord_tokens").where("user_id", "=", user.id).selectAll().execute()).toEqual(
      [],
    );
    expect(await app().db.selectFrom("sessions").where("user_id", "=", user.id).selectAll().execute()).toEqual([]);
    expect(await app().db.selectFrom("users").where("id", "=", user.id).selectAll().execute()).toHaveLength(1);
  });

  it("keeps everything when Discord fails transiently, so the next request can retry", async () => {
    const { user, tokens } = await loggedInUser("guildhopper");
    await expireStoredToken(user.id);
    await app().control("POST", "/faults", { route: "token", count: 1, status: 503 });
    await expect(getAccessToken(context(), user.id)).rejects.toMatchObject({
      failure: { kind: "server_error", status: 503 },
    });
    expect((await loadTokens(app().db, user.id, getConfig().tokenEncryptionKeys))!.refreshToken).toBe(
      tokens.refreshToken,
    );
    expect(await getAccessToken(context(), user.id)).not.toBe(tokens.accessToken);
  });

  it("keeps tokens sealed with a key this instance lacks: a 503, nothing deleted", async () => {
    const { user } = await loggedInUser("pixelpine", [{ id: "0ff0ff0f", key: randomBytes(32) }]);
    await createSession(app().db, user.id, { userAgent: null, ip: null }, 60_000);
    const refused = await getAccessToken(context(), user.id).catch((thrown: unknown) => thrown);
    expect(refused).toBeInstanceOf(Response);
    expect((refused as Response).status).toBe(503);
    expect(await app().db.selectFrom("sessions").where("user_id", "=", user.id).selectAll().execute()).toHaveLength(1);
    expect(
      await app().db.selectFrom("discord_tokens").where("user_id", "=", user.id).selectAll().execute(),
    ).toHaveLength(1);
  });

  // Counted in pg_stat_activity, which only a real server fills: the embedded Postgres
  // has a single backend for every connection.
  it.skipIf(!testServerUrl())(
    "keeps database connections for everyone else while Discord is slow to refresh",
    async () => {
      // Twelve users whose tokens all need refreshing while Discord takes 2 s per refresh
      // (a second under the 3 s timeout, so a loaded machine does not make it a failure):
      // more than the pool's 10 connections if each refresh held one for its whole wait.
      const users = [];
      for (let index = 0; index < 12; index += 1) {
        const { body: account } = await app().control("POST", "/accounts", { username: `slow.${index}` });
        const granted = await login(app().emulator, account.id);
        const user = await upsertUserFromDiscord(app().db, bareIdentity(account.id, account.username));
        const expired = {
          accessToken: granted.access_token,
          refreshToken: granted.refresh_token,
          expiresAt: new Date(0),
          scopes: ["identify"],
        };
        await saveTokens(app().db, user.id, expired, getConfig().tokenEncryptionKeys);
        users.push(user);
      }
      await app().control("POST", "/faults", { route: "token", count: 12, delay_ms: 2_000 });
      const refreshes = Promise.allSettled(users.map((user) => getAccessToken(context(), user.id)));
      // As many refreshes as may hold a connection (four in the pool's ten) are waiting at
      // Discord; the other eight wait their turn without one.
      await vi.waitFor(async () => expect(await inFlightOn(app().emulator, "token")).toBe(4), { timeout: 5_000 });
      // Observed through a connection of its own: the app's pool is what is being measured.
      const observer = createDatabase(app().databaseUrl, { maxConnections: 1 });
      try {
        const { rows } = await sql<{ waiting: number }>`
        select count(*)::int as waiting from pg_stat_activity
        where datname = current_database() and state = 'idle in transaction'`.execute(observer);
        // While Discord dawdles, only those four connections wait inside refresh
        // transactions; the rest of the pool stays free for every other page.
        expect(rows[0]!.waiting).toBe(4);
        expect(await inFlightOn(app().emulator, "token")).toBe(4);
      } finally {
        await observer.destroy();
      }
      const failed = (await refreshes).flatMap((result) =>
        result.status === "rejected" ? [String(result.reason)] : [],
      );
      expect(failed).toEqual([]);
    },
  );

  it("reads tokens sealed under an older key and rewrites them under the newest on the next write", async () => {
    const oldKey: EncryptionKey = { id: "01d01d01", key: randomBytes(32) };
    const newKey: EncryptionKey = { id: "0ae00ae0", key: randomBytes(32) };
    const { user, tokens } = await loggedInUser("nova", [oldKey]);
    const keyIds = async () => {
      const row = await app()
        .db.selectFrom("discord_tokens")
        .selectAll()
        .where("user_id", "=", user.id)
        .executeTakeFirstOrThrow();
      return [row.access_token_encrypted.split(".")[1], row.refresh_token_encrypted.split(".")[1]];
    };
    expect(await keyIds()).toEqual(["01d01d01", "01d01d01"]);
    const rotated = context([newKey, oldKey]);
    expect(await getAccessToken(rotated, user.id)).toBe(tokens.accessToken);
    await expireStoredToken(user.id);
    await getAccessToken(rotated, user.id);
    expect(await keyIds()).toEqual(["0ae00ae0", "0ae00ae0"]);
    // An instance left with only the old key cannot read them, but loses nothing: it
    // answers 503 and the grant stays for the instances that have the key.
    const refused = await getAccessToken(context([oldKey]), user.id).catch((thrown: unknown) => thrown);
    expect(refused).toBeInstanceOf(Response);
    expect((refused as Response).status).toBe(503);
    expect(await keyIds()).toEqual(["0ae00ae0", "0ae00ae0"]);
  });

  it("ends a grant whose stored tokens no key can ever open (damaged), as a lost grant", async () => {
    const { user } = await loggedInUser("quietfern");
    await createSession(app().db, user.id, { userAgent: null, ip: null }, 60_000);
    // Change the first character of the authentication tag (the last field): the envelope
    // still parses and names a key we hold, but can never be opened.
    const { access_token_encrypted: sealed } = await app()
      .db.selectFrom("discord_tokens")
      .select("access_token_encrypted")
      .where("user_id", "=", user.id)
      .executeTakeFirstOrThrow();
    const tagStart = sealed.lastIndexOf(".") + 1;
    const damaged = sealed.slice(0, tagStart) + (sealed[tagStart] === "A" ? "B" : "A") + sealed.slice(tagStart + 1);
    await app()
      .db.updateTable("discord_tokens")
      .set({ access_token_encrypted: damaged })
      .where("user_id", "=", user.id)
      .execute();
    await expect(getAccessToken(context(), user.id)).rejects.toBeInstanceOf(GrantLostError);
    expect(
      await app().db.selectFrom("discord_tokens").select("user_id").where("user_id", "=", user.id).execute(),
    ).toEqual([]);
  });
});
