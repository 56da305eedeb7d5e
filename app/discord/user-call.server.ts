import { getConfig } from "~/config.server";
import { getDb } from "~/db/db.server";
import { forgetGrant } from "~/models/grant.server";
import { GrantLostError, getAccessToken, type AccessTokenContext } from "./access-token.server";
import { DiscordError } from "./discord-error.server";

/** The database, Discord settings and keys, as configured for this process. */
export function accessTokenContext(): AccessTokenContext {
  const config = getConfig();
  return { db: getDb(), discord: config.discord, keys: config.tokenEncryptionKeys };
}

/**
 * Calls Discord on the user's behalf with a valid access token. When Discord refuses a
 * token the app believed valid (it expired early or was revoked), the token is refreshed
 * once (shared with every concurrent caller) and the call tried again; refused again, the
 * grant is treated as gone. Throws GrantLostError when the user must log in again,
 * DiscordError otherwise.
 */
export async function callAsUser<T>(
  userId: string,
  call: (accessToken: string) => Promise<T>,
  context: AccessTokenContext = accessTokenContext(),
): Promise<T> {
  const accessToken = await getAccessToken(context, userId);
  try {
    return await call(accessToken);
  } catch (error) {
    if (!isUnauthorized(error)) throw error;
  }
  const refreshed = await getAccessToken(context, userId, accessToken);
  try {
    return await call(refreshed);
  } catch (error) {
    if (!isUnauthorized(error)) throw error;
    await forgetGrant(context.db, userId);
    throw new GrantLostError(userId);
  }
}

function isUnauthorized(error: unknown): boolean {
  return error instanceof DiscordError && error.failure.kind === "unauthorized";
}
