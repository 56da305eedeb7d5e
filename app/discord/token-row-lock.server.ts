import { getConfig, type EncryptionKey } from "~/config.server";
import { TokenDecryptionError } from "~/crypto/token-cipher.server";
import type { DB } from "~/db/db.server";
import { setLockTimeout } from "~/db/lock-timeout.server";
import { loadTokens, type TokenSet } from "~/models/discord-token.server";
import { lockUser } from "~/models/user.server";
import { Semaphore } from "~/utils/semaphore";
import { log } from "~/utils/logger.server";
import { serviceUnavailable } from "~/utils/unavailable.server";
import type { DiscordAccess } from "./discord-access.server";
import { DiscordError } from "./discord-error.server";

/**
 * Refreshes and revocations hold a pooled connection, inside a transaction, for as long as
 * Discord takes to answer. Few may do so at once (four in ten of DATABASE_POOL_SIZE), so a
 * slow Discord cannot take every connection and with it every page.
 */
let lockHolders: Semaphore | undefined;
function holders(): Semaphore {
  return (lockHolders ??= new Semaphore(Math.max(1, Math.floor(getConfig().databasePoolSize * 0.4))));
}
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
  access: DiscordAccess,
  userId: string,
  operation: string,
  work: (tx: DB, locked: LockedTokens) => Promise<T>,
  options: { lockUser?: boolean } = {},
): Promise<T> {
  const waitMs = access.discord.timeoutMs + SLACK_MS;
  const release = await holders().acquire(waitMs);
  if (!release) throw new DiscordError(operation, { kind: "busy" });
  try {
    return await access.db.transaction().execute(async (tx) => {
      await setLockTimeout(tx, waitMs);
      if (options.lockUser) await lockUser(tx, userId);
      return work(tx, await lockedTokens(tx, userId, access.keys));
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
    if (error.problem === "missing_key") throw keysMissing(userId, error);
    log.error("stored Discord tokens cannot be decrypted", { user_id: userId, reason: error.message });
    return { tokens: null, reason: "undecryptable" };
  }
}

/**
 * Tokens sealed with a key this instance lacks are not lost, only unreadable here (an
 * instance started with another TOKEN_ENCRYPTION_KEY than the rest): nothing is deleted,
 * and the page says the server cannot serve it now. (At start, app/startup.server.ts
 * refuses to run with such a key set; this is for a key removed while others ran.)
 */
export function keysMissing(userId: string, error: TokenDecryptionError): Response {
  log.error("stored Discord tokens were sealed with a key this instance lacks", {
    user_id: userId,
    reason: error.message,
  });
  return serviceUnavailable(
    "This server cannot read its stored data right now (its encryption keys are incomplete). Nothing was lost; please try again later.",
    300,
  );
}
