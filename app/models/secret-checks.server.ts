import { createHmac } from "node:crypto";
import { sql } from "kysely";
import type { EncryptionKey } from "~/config.server";
import { opensKeyCheck, sealKeyCheck } from "~/crypto/token-cipher.server";
import type { DB } from "~/db/db.server";

/**
 * What instances record of the secrets they use (migrations/0005_secret_checks.ts), so
 * that each can prove at start that it agrees with what is stored and with the others.
 */

/** Registers the key this instance seals with; a key already registered stays as it was. */
export async function registerTokenKey(db: DB, key: EncryptionKey): Promise<void> {
  await db
    .insertInto("secret_checks")
    .values({ kind: "token-key", id: key.id, sentinel: sealKeyCheck(key) })
    .onConflict((conflict) => conflict.columns(["kind", "id"]).doNothing())
    .execute();
}

/** Ids of the registered keys that `keys` cannot open: keys that sealed data this instance could not read. */
export async function tokenKeysMissing(db: DB, keys: readonly EncryptionKey[]): Promise<string[]> {
  const rows = await db
    .selectFrom("secret_checks")
    .select(["id", "sentinel"])
    .where("kind", "=", "token-key")
    .orderBy("id")
    .execute();
  return rows.filter((row) => !row.sentinel || !opensKeyCheck(row.sentinel, keys)).map((row) => row.id);
}

/** After a reseal: forgets the keys that no stored token uses any more, so they may be removed. */
export async function retireTokenKeys(db: DB, stillUsed: readonly string[]): Promise<string[]> {
  let query = db.deleteFrom("secret_checks").where("kind", "=", "token-key");
  if (stillUsed.length > 0) query = query.where("id", "not in", stillUsed);
  return (await query.returning("id").execute()).map((row) => row.id);
}

/** A session secret's public name: an HMAC of a fixed text under it (the secret itself never leaves). */
export function sessionSecretId(secret: string): string {
  return createHmac("sha256", secret).update("remix-discord-login session secret").digest("hex").slice(0, 16);
}

/** Records that this instance signs cookies with `secret`, now (at start, and again as it runs). */
export async function recordSigningSecret(db: DB, secret: string, now = new Date()): Promise<void> {
  await db
    .insertInto("secret_checks")
    .values({ kind: "session-secret", id: sessionSecretId(secret), sentinel: null, last_used_at: now })
    .onConflict((conflict) => conflict.columns(["kind", "id"]).doUpdateSet({ last_used_at: now }))
    .execute();
}

/**
 * Secrets other instances have signed cookies with that are still alive (signed since
 * `since`, the oldest a live session can be) and that `secrets` lack: this instance would
 * not recognise those cookies.
 */
export async function signingSecretsMissing(
  db: DB,
  secrets: readonly string[],
  since: Date,
): Promise<Array<{ id: string; lastUsedAt: Date }>> {
  const known = new Set(secrets.map(sessionSecretId));
  const rows = await db
    .selectFrom("secret_checks")
    .select(["id", "last_used_at"])
    .where("kind", "=", "session-secret")
    .where("last_used_at", ">=", since)
    .orderBy("last_used_at", "desc")
    .execute();
  return rows.filter((row) => !known.has(row.id)).map((row) => ({ id: row.id, lastUsedAt: row.last_used_at }));
}

/** Forgets session secrets no live cookie can carry any more (housekeeping). */
export async function purgeSigningSecrets(db: DB, before: Date): Promise<number> {
  const result = await db
    .deleteFrom("secret_checks")
    .where("kind", "=", "session-secret")
    .where("last_used_at", "<", before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Every session secret recorded, most recently used first (ids only: the secrets are never stored). */
export async function recordedSigningSecrets(db: DB): Promise<Array<{ id: string; lastUsedAt: Date }>> {
  const rows = await db
    .selectFrom("secret_checks")
    .select(["id", "last_used_at"])
    .where("kind", "=", "session-secret")
    .orderBy("last_used_at", "desc")
    .execute();
  return rows.map((row) => ({ id: row.id, lastUsedAt: row.last_used_at }));
}

/** How many sessions are live now, by the database's clock (the one that decides expiry). */
export async function liveSessionCount(db: DB): Promise<number> {
  const row = await db
    .selectFrom("sessions")
    .select((eb) => eb.fn.countAll<string>().as("count"))
    .where("expires_at", ">", sql<Date>`now()`)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * For a session secret lost or leaked: ends every session (everyone is logged out, on
 * every instance, which hear of it through the triggers of migrations/0008) and forgets
 * every recorded session secret, so that instances given a new secret alone may start.
 * One transaction: both or neither. Users, their grants and Discord tokens stay.
 */
export async function retireSigningSecrets(db: DB): Promise<{ sessionsEnded: number; secretsForgotten: string[] }> {
  return db.transaction().execute(async (tx) => {
    const sessionsEnded = await liveSessionCount(tx);
    await tx.deleteFrom("sessions").execute();
    const forgotten = await tx
      .deleteFrom("secret_checks")
      .where("kind", "=", "session-secret")
      .returning("id")
      .execute();
    return { sessionsEnded, secretsForgotten: forgotten.map((row) => row.id) };
  });
}
