import { sql } from "kysely";
import { encryptionKeysFrom } from "~/config.server";
import type { DB } from "~/db/db.server";
import { saveTokens } from "~/models/discord-token.server";
import { createSession } from "~/models/session.server";
import { upsertUserFromDiscord } from "~/models/user.server";
import type { RunningEmulator } from "../emulator/server";
import { login } from "../emulator/testing/harness";
import { sessionCookieFor } from "../tests/support/app-instances";
import { bareIdentity } from "../tests/support/identities";

/**
 * `count` people, each signed in once, written straight into the database in bulk (how
 * they logged in is not what these cases measure). Returns their session cookies.
 */
export async function seedSessions(db: DB, env: Record<string, string>, count: number, tag: string): Promise<string[]> {
  // Secrets of the cookie's shape (43 characters); the table keeps their SHA-256 (base64url).
  await sql`
    with seeded as (
      insert into users (discord_id, username)
      select '8' || lpad(n::text, 18, '0'), ${tag} || '.' || n from generate_series(1, ${count}::int) as n
      returning id, substr(discord_id, 2)::int as n
    )
    insert into sessions (id, user_id, expires_at, user_agent)
    select translate(rtrim(encode(sha256(convert_to(${tag} || lpad(n::text, ${43 - tag.length}, '0'), 'UTF8')), 'base64'), '='), '+/', '-_'),
           id, now() + interval '1 day', 'autocannon (seed)'
    from seeded`.execute(db);
  const cookies: string[] = [];
  for (let n = 1; n <= count; n += 1) {
    cookies.push(await sessionCookieFor(env, `${tag}${String(n).padStart(43 - tag.length, "0")}`));
  }
  return cookies;
}

/** Removes what seedSessions made (their sessions go with them), in batches. */
export async function unseedSessions(db: DB, tag: string): Promise<void> {
  for (;;) {
    const { numAffectedRows } = await sql`
      delete from users where id in (select id from users where username like ${`${tag}.%`} limit 10000)`.execute(db);
    if (Number(numAffectedRows ?? 0) === 0) return;
  }
}

/**
 * People who granted the app access on the emulator for real (their tokens work there),
 * stored as a login stores them, each with a session. Returns their session cookies.
 */
export async function seedGrants(
  db: DB,
  env: Record<string, string>,
  emulator: RunningEmulator,
  accountIds: readonly string[],
): Promise<string[]> {
  const keys = encryptionKeysFrom(env.TOKEN_ENCRYPTION_KEY!)!;
  const cookies: string[] = [];
  for (const accountId of accountIds) {
    const granted = await login(emulator, accountId);
    const user = await upsertUserFromDiscord(db, bareIdentity(accountId, `grant.${accountId}`));
    await saveTokens(
      db,
      user.id,
      {
        accessToken: granted.access_token,
        refreshToken: granted.refresh_token,
        expiresAt: new Date(Date.now() + granted.expires_in * 1000),
        scopes: granted.scope.split(" "),
      },
      keys,
    );
    const { secret } = await createSession(db, user.id, { userAgent: null, ip: null }, 24 * 3600_000);
    cookies.push(await sessionCookieFor(env, secret));
  }
  return cookies;
}
