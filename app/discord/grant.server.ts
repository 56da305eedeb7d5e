import type { DB } from "~/db/db.server";
import { forgetGrant } from "~/models/grant.server";
import { grantedScopes } from "~/models/discord-token.server";
import { forgetGuilds } from "./guild-cache.server";

/**
 * The person's Discord grant is gone (revoked, expired, never stored, or unreadable): it
 * has been ended here (endGrant) and they must log in again.
 */
export class GrantLostError extends Error {
  constructor(readonly userId: string) {
    super("The Discord grant is no longer valid; the user must log in again");
    this.name = "GrantLostError";
  }
}

/**
 * The one way a grant ends here, whatever ended it (a revocation, Discord's webhook, a
 * refused refresh, tokens that are gone): its tokens and every session of the person are
 * deleted, and what this instance keeps of them in memory is forgotten. Inside a
 * transaction, the deletions are part of it.
 *
 * `endedAt`: when Discord says the grant ended (the deauthorization event's own time);
 * tokens and sessions of a later login are kept.
 */
export async function endGrant(db: DB, userId: string, options: { endedAt?: Date } = {}): Promise<void> {
  await forgetGrant(db, userId, options.endedAt);
  forgetGuilds(userId);
}

/** Ends the grant and throws GrantLostError: for code that found the grant gone. */
export async function loseGrant(db: DB, userId: string): Promise<never> {
  await endGrant(db, userId);
  throw new GrantLostError(userId);
}

/** The scopes the person granted (they may predate a change of DISCORD_SCOPES); a grant without tokens is lost. */
export async function requireGrantedScopes(db: DB, userId: string): Promise<string[]> {
  return (await grantedScopes(db, userId)) ?? loseGrant(db, userId);
}
