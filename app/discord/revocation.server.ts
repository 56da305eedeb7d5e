import { removeRoleConnection } from "~/community/linked-roles.server";
import { deleteUser } from "~/models/user.server";
import type { DiscordAccess } from "./discord-access.server";
import { DiscordError, isTransient, type DiscordFailure } from "./discord-error.server";
import { endGrant } from "./grant.server";
import { revokeToken } from "./oauth.server";
import { withTokenRowLock } from "./token-row-lock.server";

export type RevocationOutcome =
  /**
   * `toldDiscord` is false when Discord could not be told (the stored token was unreadable,
   * or Discord refused in a way retrying cannot fix), so only local data went.
   */
  { ok: true; toldDiscord: boolean } | { ok: false; failure: DiscordFailure };

/**
 * Takes the app's access back: revokes the whole grant at Discord, then ends it here
 * (tokens and every session; with `deleteAccount`, the user too). If Discord cannot
 * confirm the revocation, nothing is deleted: the person is told and can retry, rather
 * than believing access is gone while a valid grant still exists.
 */
export async function revokeDiscordAccess(
  access: DiscordAccess,
  userId: string,
  options: { deleteAccount?: boolean } = {},
): Promise<RevocationOutcome> {
  try {
    return await withTokenRowLock(
      access,
      userId,
      "revocation",
      async (tx, locked) => {
        // Revoking the refresh token revokes every token of the grant. Held under the
        // row lock, so a refresh in flight cannot store new tokens afterwards.
        let toldDiscord = locked.tokens !== null || locked.reason === "none";
        if (locked.tokens) {
          // Taken back first: with the grant gone, no token could reach it any more.
          await removeRoleConnection(tx, access.discord, userId, locked.tokens.accessToken);
          try {
            await revokeToken(access.discord, locked.tokens.refreshToken);
          } catch (error) {
            // Transient failures leave everything as it was, to be retried. A refusal that
            // no retry can change (say, the app's client secret was rotated) would block
            // the person forever: their data here goes, and they are told to finish on Discord.
            if (!(error instanceof DiscordError) || isTransient(error.failure)) throw error;
            toldDiscord = false;
          }
        }
        await endGrant(tx, userId);
        if (options.deleteAccount) await deleteUser(tx, userId);
        return { ok: true, toldDiscord } as const;
      },
      // Deleting the user row: lock it first, in the order a concurrent login takes them.
      { lockUser: options.deleteAccount },
    );
  } catch (error) {
    if (!(error instanceof DiscordError)) throw error;
    return { ok: false, failure: error.failure };
  }
}

export function revocationFailureMessage(failure: DiscordFailure): string {
  const base =
    "Discord could not confirm the revocation, so nothing was changed: you are still logged in and the app still has access.";
  if (failure.kind === "rate_limited")
    return `${base} Discord asked to wait; try again in ${failure.retryAfterSeconds} seconds.`;
  return `${base} Please try again in a moment.`;
}

/** Said after a revocation that could only delete what is stored here. */
export const DISCORD_NOT_TOLD =
  "Discord could not be told, so to finish, remove the app under Discord's User Settings → Authorized Apps.";
