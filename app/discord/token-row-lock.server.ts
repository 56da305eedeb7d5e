import { sql } from "kysely";
import type { EncryptionKey } from "~/config.server";
import { TokenDecryptionError } from "~/crypto/token-cipher.server";
import type { DB } from "~/db/db.server";
import { loadTokens } from "~/models/discord-token.server";
import { Semaphore } from "~/utils/semaphore";
import { log } from "~/utils/logger.server";
import { DiscordError } from "./discord-error.server";
import type { DiscordSettings, TokenSet } from "./oauth.server";

export interface TokenContext {
  db: DB;
  discord: DiscordSettings;
  keys: readonly EncryptionKey[];
}

/**
 * Refreshes and revocations hold a pooled connection, inside a transaction, for as long as
 * Discord takes to answer. Few may do so at once, so a slow Discord cannot take every
 * connection and with it every page (the pool has 10).
 */
const lockHolders = new Semaphore(4);
const SLACK_MS = 5_000;

export type LockedTokens = { tokens: TokenSet } | { tokens: null; reason: "none" | "undecryptable" };

/**
 * Runs `work` in a transaction holding the user's token row (SELECT ... FOR UPDATE), so
 * refreshes and revocations of a user happen one at a time on every instance. With
 * `lockUser`, the user row is locked first, in the same order a login takes them.
 * Waiting too long (for a slot, or for another instance's lock) is a transient "busy"
 * DiscordError: the caller shows "try again" rather than hanging.
 */
export async function withTokenRowLock<T>(
  context: TokenContext,
  userId: string,
  operation: string,
  work: (tx: DB, locked: LockedTokens) => Promise<T>,
  options: { lockUser?: boolean } = {},
): Promise<T> {
  const waitMs = context.discord.timeoutMs + SLACK_MS;
  const release = await lockHolders.acquire(waitMs);
  if (!release) throw new DiscordError(operation, { kind: "busy" });
  try {
    return await context.db.transaction().execute(async (tx) => {
      await sql`select set_config('lock_timeout', ${`${waitMs}ms`}, true)`.execute(tx);
      if (options.lockUser) await tx.selectFrom("users").select("id").where("id", "=", userId).forUpdate().execute();
      return work(tx, await lockedTokens(tx, userId, context.keys));
    });
  } catch (error) {
    // 55P03 lock_not_available: another instance held the row for longer than Discord may take.
    if ((error as { code?: string }).code === "55P03") throw new DiscordError(operation, { kind: "busy" });
    throw error;
  } finally {
    release();
  }
}

async function lockedTokens(tx: DB, userId: string, keys: readonly EncryptionKey[]): Promise<LockedTokens> {
  try {
    const tokens = await loadTokens(tx, userId, keys, { forUpdate: true });
    return tokens ? { tokens } : { tokens: null, reason: "none" };
  } catch (error) {
    if (!(error instanceof TokenDecryptionError)) throw error;
    log.error("stored Discord tokens cannot be decrypted", { user_id: userId, reason: error.message });
    return { tokens: null, reason: "undecryptable" };
  }
}
