import { TokenDecryptionError } from "~/crypto/token-cipher.server";
import { loadTokens, replaceTokens } from "~/models/discord-token.server";
import { forgetGrant } from "~/models/grant.server";
import { DiscordError } from "./discord-error.server";
import { refreshTokens, type TokenSet } from "./oauth.server";
import { withTokenRowLock, type TokenContext } from "./token-row-lock.server";

export type AccessTokenContext = TokenContext;

/** Refresh this long before Discord's expiry, so a token never dies in the middle of a page. */
export const REFRESH_MARGIN_MS = 60_000;

/**
 * The user's Discord grant is gone (revoked, expired, never stored, or unreadable): their
 * tokens and sessions have been deleted and they must log in again.
 */
export class GrantLostError extends Error {
  constructor(readonly userId: string) {
    super("The Discord grant is no longer valid; the user must log in again");
    this.name = "GrantLostError";
  }
}

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
export async function getAccessToken(context: TokenContext, userId: string, rejectedToken?: string): Promise<string> {
  const stored = await loadTokens(context.db, userId, context.keys).catch(async (error: unknown) => {
    if (!(error instanceof TokenDecryptionError)) throw error;
    return null; // unreadable (its key was removed): as good as gone, and handled below
  });
  if (!stored) {
    await forgetGrant(context.db, userId);
    throw new GrantLostError(userId);
  }
  if (!needsRefresh(stored, rejectedToken)) return stored.accessToken;

  const pending = refreshing.get(userId);
  if (pending) return pending;
  const attempt = refreshUnderLock(context, userId, rejectedToken).finally(() => refreshing.delete(userId));
  refreshing.set(userId, attempt);
  return attempt;
}

function needsRefresh(tokens: TokenSet, rejectedToken: string | undefined): boolean {
  return tokens.accessToken === rejectedToken || tokens.expiresAt.getTime() - Date.now() < REFRESH_MARGIN_MS;
}

async function refreshUnderLock(context: TokenContext, userId: string, rejectedToken?: string): Promise<string> {
  const accessToken = await withTokenRowLock(context, userId, "token refresh", async (tx, locked) => {
    if (!locked.tokens) {
      await forgetGrant(tx, userId);
      return null;
    }
    // Another request refreshed while this one waited for the lock.
    if (!needsRefresh(locked.tokens, rejectedToken)) return locked.tokens.accessToken;
    let fresh: TokenSet;
    try {
      fresh = await refreshTokens(context.discord, locked.tokens.refreshToken);
    } catch (error) {
      if (!(error instanceof DiscordError && error.failure.kind === "invalid_grant")) throw error;
      await forgetGrant(tx, userId);
      return null;
    }
    // Discord has already retired the old refresh token; the row is locked, so this
    // update cannot lose to another writer.
    await replaceTokens(tx, userId, fresh, context.keys);
    return fresh.accessToken;
  });
  if (accessToken === null) throw new GrantLostError(userId);
  return accessToken;
}
