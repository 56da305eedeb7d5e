import type { EncryptionKey } from "~/config.server";
import { decryptToken, encryptToken } from "~/crypto/token-cipher.server";
import type { DB } from "~/db/db.server";

/** A grant's tokens as the app uses them: decrypted, with the access token's expiry. */
export interface TokenSet {
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
  scopes: string[];
}

/** Stores the tokens of a new grant (a login), encrypted under the newest key, replacing any before. */
export async function saveTokens(
  db: DB,
  userId: string,
  tokens: TokenSet,
  keys: readonly EncryptionKey[],
): Promise<void> {
  const row = { ...seal(tokens, userId, keys), granted_at: new Date() };
  await db
    .insertInto("discord_tokens")
    .values({ user_id: userId, ...row })
    .onConflict((conflict) => conflict.column("user_id").doUpdateSet(row))
    .execute();
}

/**
 * Replaces the tokens of an existing row only: a refresh that finishes after the grant
 * was revoked (row deleted) must not bring the tokens back.
 */
export async function replaceTokens(
  db: DB,
  userId: string,
  tokens: TokenSet,
  keys: readonly EncryptionKey[],
): Promise<boolean> {
  const result = await db
    .updateTable("discord_tokens")
    .set(seal(tokens, userId, keys))
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * A user's tokens, decrypted; null when none are stored. With `forUpdate` (inside a
 * transaction) the row stays locked until it ends, so refreshes and revocations of the
 * same user happen one at a time, on every instance.
 */
export async function loadTokens(
  db: DB,
  userId: string,
  keys: readonly EncryptionKey[],
  options: { forUpdate?: boolean } = {},
): Promise<TokenSet | null> {
  let query = db.selectFrom("discord_tokens").selectAll().where("user_id", "=", userId);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) return null;
  return {
    accessToken: decryptToken(row.access_token_encrypted, { userId, kind: "access" }, keys),
    refreshToken: decryptToken(row.refresh_token_encrypted, { userId, kind: "refresh" }, keys),
    expiresAt: row.access_token_expires_at,
    scopes: row.scopes.split(" ").filter(Boolean),
  };
}

/** The scopes the user actually granted (they may predate a change of DISCORD_SCOPES); null without tokens. */
export async function grantedScopes(db: DB, userId: string): Promise<string[] | null> {
  const row = await db.selectFrom("discord_tokens").select("scopes").where("user_id", "=", userId).executeTakeFirst();
  return row ? row.scopes.split(" ").filter(Boolean) : null;
}

function seal(tokens: TokenSet, userId: string, keys: readonly EncryptionKey[]) {
  return {
    access_token_encrypted: encryptToken(tokens.accessToken, { userId, kind: "access" }, keys),
    refresh_token_encrypted: encryptToken(tokens.refreshToken, { userId, kind: "refresh" }, keys),
    access_token_expires_at: tokens.expiresAt,
    scopes: tokens.scopes.join(" "),
    updated_at: new Date(),
  };
}
