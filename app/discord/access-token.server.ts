import { TokenDecryptionError } from "~/crypto/token-cipher.server";
import { loadTokens, replaceTokens, type TokenSet } from "~/models/discord-token.server";
import type { DiscordAccess } from "./discord-access.server";
import { DiscordError } from "./discord-error.server";
import { endGrant, GrantLostError, loseGrant } from "./grant.server";
import { refreshTokens } from "./oauth.server";
import { keysMissing, withTokenRowLock } from "./token-row-lock.server";

/** Refresh this long before Discord's expiry, so a token never dies in the middle of a page. */
export const REFRESH_MARGIN_MS = 60_000;

// Callers in this process waiting on the same user's refresh share one promise.
const refreshing = new Map<string, Promise<string>>();

/**
 * A valid access token for the user: the stored one while it has life left, otherwise a
 * refreshed one. Discord rotates refresh tokens and rejects a reused one, so however many
 * requests on however many instances ask at once, exactly one refresh reaches Discord:
 * callers in a process share one attempt, and instances serialise on the user's token row
 * and re-check after the lock.
 *
 * `rejectedToken`: an access token Discord just answered 401 to (expired early, or
 * revoked); it is replaced even if its stored expiry says otherwise.
 */
export async function getAccessToken(access: DiscordAccess, userId: string, rejectedToken?: string): Promise<string> {
  const stored = await loadTokens(access.db, userId, access.keys).catch((error: unknown) => {
    if (!(error instanceof TokenDecryptionError)) throw error;
    if (error.problem === "missing_key") throw keysMissing(userId, error);
    return null; // no key can ever open it: as good as gone, and handled below
  });
  if (!stored) return loseGrant(access.db, userId);
  if (!needsRefresh(stored, rejectedToken)) return stored.accessToken;

  const pending = refreshing.get(userId);
  if (pending) return pending;
  const attempt = refreshUnderLock(access, userId, rejectedToken).finally(() => refreshing.delete(userId));
  refreshing.set(userId, attempt);
  return attempt;
}

function needsRefresh(tokens: TokenSet, rejectedToken: string | undefined): boolean {
  return tokens.accessToken === rejectedToken || tokens.expiresAt.getTime() - Date.now() < REFRESH_MARGIN_MS;
}

async function refreshUnderLock(access: DiscordAccess, userId: string, rejectedToken?: string): Promise<string> {
  const accessToken = await withTokenRowLock(access, userId, "token refresh", async (tx, locked) => {
    if (!locked.tokens) {
      await endGrant(tx, userId);
      return null;
    }
    // Another request refreshed while this one waited for the lock.
    if (!needsRefresh(locked.tokens, rejectedToken)) return locked.tokens.accessToken;
    let fresh: TokenSet;
    try {
      fresh = await refreshTokens(access.discord, locked.tokens.refreshToken);
    } catch (error) {
      if (!(error instanceof DiscordError && error.failure.kind === "invalid_grant")) throw error;
      await endGrant(tx, userId);
      return null;
    }
    // Discord has already retired the old refresh token; the row is locked, so this
    // update cannot lose to another writer.
    await replaceTokens(tx, userId, fresh, access.keys);
    return fresh.accessToken;
  });
  if (accessToken === null) throw new GrantLostError(userId);
  return accessToken;
}
