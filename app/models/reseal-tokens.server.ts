import type { EncryptionKey } from "~/config.server";
import { envelopePrefix, TokenDecryptionError } from "~/crypto/token-cipher.server";
import type { DB } from "~/db/db.server";
import { loadTokens, replaceTokens } from "./discord-token.server";

const BATCH = 200;

export interface ResealResult {
  resealed: number;
  /** Rows no configured key can open; they end at their user's next request. */
  unreadable: number;
}

/**
 * Rewrites every stored token pair sealed with an older key under the newest one, so the
 * older keys can then be removed from TOKEN_ENCRYPTION_KEY. Each row is resealed under
 * its lock, so a refresh running at the same time is never overwritten.
 */
export async function resealTokens(db: DB, keys: readonly EncryptionKey[]): Promise<ResealResult> {
  const newest = envelopePrefix(keys[0]!);
  const result: ResealResult = { resealed: 0, unreadable: 0 };
  const skipped = new Set<string>();
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
      .$if(skipped.size > 0, (query) => query.where("user_id", "not in", [...skipped]))
      .limit(BATCH)
      .execute();
    if (batch.length === 0) return result;
    for (const { user_id: userId } of batch) {
      await db.transaction().execute(async (tx) => {
        try {
          const tokens = await loadTokens(tx, userId, keys, { forUpdate: true });
          if (tokens) await replaceTokens(tx, userId, tokens, keys);
          result.resealed += 1;
        } catch (error) {
          if (!(error instanceof TokenDecryptionError)) throw error;
          skipped.add(userId);
          result.unreadable += 1;
        }
      });
    }
  }
}
