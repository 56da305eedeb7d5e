import type { DB } from "~/db/db.server";
import { activeSessions } from "./session-events.server";
import type { User } from "~/db/schema";
import type { DiscordIdentity } from "./discord-identity";

/**
 * Creates the user on first login and refreshes the copy of their Discord profile on
 * every later one, in one statement so concurrent logins cannot create duplicates.
 */
export async function upsertUserFromDiscord(db: DB, identity: DiscordIdentity, loginAt = new Date()): Promise<User> {
  const profile = {
    username: identity.username,
    discriminator: identity.discriminator,
    global_name: identity.globalName,
    avatar_hash: identity.avatarHash,
    email: identity.email,
    email_verified: identity.emailVerified,
  };
  return db
    .insertInto("users")
    .values({ discord_id: identity.discordId, ...profile, last_login_at: loginAt })
    .onConflict((conflict) =>
      conflict.column("discord_id").doUpdateSet({ ...profile, updated_at: loginAt, last_login_at: loginAt }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findUserByDiscordId(db: DB, discordId: string): Promise<User | undefined> {
  return db.selectFrom("users").selectAll().where("discord_id", "=", discordId).executeTakeFirst();
}

/** Locks the user's row until the transaction ends (taken before their token row, as a login takes them). */
export async function lockUser(tx: DB, userId: string): Promise<void> {
  await tx.selectFrom("users").select("id").where("id", "=", userId).forUpdate().execute();
}

/** Deletes the user; their tokens and sessions go with them (the foreign keys cascade). */
export async function deleteUser(db: DB, userId: string): Promise<void> {
  await db.deleteFrom("users").where("id", "=", userId).execute();
  activeSessions.userChanged(userId);
}
