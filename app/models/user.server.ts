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

/**
 * The user, while they hold no grant here (no stored tokens): all that is kept of someone
 * whose access ended. Undefined for a user signed in somewhere, or for no user at all.
 */
export async function findUserWithoutGrant(
  db: DB,
  by: { id: string } | { discordId: string },
): Promise<User | undefined> {
  const query = db
    .selectFrom("users")
    .selectAll()
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom("discord_tokens").select("user_id").whereRef("discord_tokens.user_id", "=", "users.id"),
        ),
      ),
    );
  return ("id" in by ? query.where("id", "=", by.id) : query.where("discord_id", "=", by.discordId)).executeTakeFirst();
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

/**
 * Deletes what is kept of a person whose access here ended at `endedAt`: their user row,
 * and with it (the foreign keys cascade) their record of membership checks. Only while
 * that is all there is: not when they have logged in since, nor while they hold a grant
 * here. One statement, so a login at the same moment either comes first and keeps the
 * account, or comes after and starts a new one. False when nothing was deleted.
 */
export async function deleteUserWithoutGrant(db: DB, userId: string, endedAt: Date): Promise<boolean> {
  const result = await db
    .deleteFrom("users")
    .where("id", "=", userId)
    .where((eb) => eb.or([eb("last_login_at", "is", null), eb("last_login_at", "<", endedAt)]))
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom("discord_tokens").select("user_id").whereRef("discord_tokens.user_id", "=", "users.id"),
        ),
      ),
    )
    .executeTakeFirst();
  if (result.numDeletedRows === 0n) return false;
  activeSessions.userChanged(userId);
  return true;
}
