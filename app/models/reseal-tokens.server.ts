import { sql } from "kysely";
import type { EncryptionKey } from "~/config.server";
import { envelopePrefix, TokenDecryptionError } from "~/crypto/token-cipher.server";
import type { DB } from "~/db/db.server";
import { loadTokens, replaceTokens } from "./discord-token.server";
import { retireTokenKeys } from "./secret-checks.server";

const BATCH = 200;

export interface ResealResult {
  resealed: number;
  /** Users whose tokens no given key can open: sealed with a key not given, or damaged. */
  unreadable: string[];
  /** Keys no stored token uses any more: instances may now drop them from TOKEN_ENCRYPTION_KEY. */
  retiredKeys: string[];
}

/**
 * Rewrites every stored token pair sealed with an older key under the newest one, so the
 * older keys can then be removed from TOKEN_ENCRYPTION_KEY. Each row is resealed under
 * its lock, so a refresh running at the same time is never overwritten. Keys no row uses
 * any more are retired from the instances' checks (app/startup.server.ts).
 */
export async function resealTokens(db: DB, keys: readonly EncryptionKey[]): Promise<ResealResult> {
  const newest = envelopePrefix(keys[0]!);
  const result: ResealResult = { resealed: 0, unreadable: [], retiredKeys: [] };
  for (;;) {
    const batch = await db
      .selectFrom("discord_tokens")
      .select("user_id")
      .where((eb) =>
        eb.or([
          eb("access_token_encrypted", "not like", `${newest}%`),
          eb("refresh_token_encrypted", "not like", `${newest}%`),
        ]),
      )
      .$if(result.unreadable.length > 0, (query) => query.where("user_id", "not in", result.unreadable))
      .limit(BATCH)
      .execute();
    if (batch.length === 0) break;
    for (const { user_id: userId } of batch) {
      await db.transaction().execute(async (tx) => {
        try {
          const tokens = await loadTokens(tx, userId, keys, { forUpdate: true });
          if (tokens) await replaceTokens(tx, userId, tokens, keys);
          result.resealed += 1;
        } catch (error) {
          if (!(error instanceof TokenDecryptionError)) throw error;
          result.unreadable.push(userId);
        }
      });
    }
  }
  result.retiredKeys = await retireTokenKeys(db, await keyIdsInUse(db));
  return result;
}

/** The ids of every key some stored token is sealed with ("v1.<key id>.…"). */
async function keyIdsInUse(db: DB): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    select distinct split_part(envelope, '.', 2) as id from (
      select access_token_encrypted as envelope from discord_tokens
      union all select refresh_token_encrypted from discord_tokens) sealed`.execute(db);
  return rows.map((row) => row.id);
}
