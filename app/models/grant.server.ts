import type { DB } from "~/db/db.server";
import { activeSessions } from "./session-events.server";

/**
 * What the end of a user's Discord grant means here (revoked by them, by Discord, or
 * found invalid): their tokens and every session go, together. The user row stays, so
 * logging in again finds the same account.
 *
 * `grantEndedAt`: when Discord said the grant ended (the deauthorization event's time). Tokens
 * granted and sessions started after that belong to a newer login, and are kept; tokens
 * merely rewritten since (refreshed, resealed) still belong to the grant that ended.
 */
export async function forgetGrant(db: DB, userId: string, grantEndedAt?: Date): Promise<void> {
  const forget = async (tx: DB) => {
    let tokens = tx.deleteFrom("discord_tokens").where("user_id", "=", userId);
    let sessions = tx.deleteFrom("sessions").where("user_id", "=", userId);
    if (grantEndedAt) {
      tokens = tokens.where("granted_at", "<=", grantEndedAt);
      sessions = sessions.where("created_at", "<=", grantEndedAt);
    }
    await tokens.execute();
    await sessions.execute();
  };
  // Joins the caller's transaction when there is one (Kysely does not nest them).
  await (db.isTransaction ? forget(db) : db.transaction().execute(forget));
  // Every instance hears of the ended sessions from the database; this one drops them now.
  activeSessions.userChanged(userId);
}
