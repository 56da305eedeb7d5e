import { getAccessToken } from "./access-token.server";
import { discordAccess, type DiscordAccess } from "./discord-access.server";
import { DiscordError } from "./discord-error.server";
import { loseGrant } from "./grant.server";

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
  access: DiscordAccess = discordAccess(),
): Promise<T> {
  const accessToken = await getAccessToken(access, userId);
  try {
    return await call(accessToken);
  } catch (error) {
    if (!isUnauthorized(error)) throw error;
  }
  const refreshed = await getAccessToken(access, userId, accessToken);
  try {
    return await call(refreshed);
  } catch (error) {
    if (!isUnauthorized(error)) throw error;
    return loseGrant(access.db, userId);
  }
}

function isUnauthorized(error: unknown): boolean {
  return error instanceof DiscordError && error.failure.kind === "unauthorized";
}
