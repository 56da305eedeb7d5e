import type { DB } from "~/db/db.server";

/** The servers a person managed when Discord last told, as every instance sees it. */
export interface ManagerStanding {
  /** When Discord last answered for them; null before the first answer. */
  checkedAt: Date | null;
  managedGuildIds: string[];
  /** When the next check is due (or, while one is in flight, when its lease runs out). */
  nextCheckAt: Date;
}

export type ManagerClaim =
  /** This caller asks Discord, and holds the check until `lease` or until it releases it. */
  | { claimed: true; lease: Date }
  /** Someone checked recently, or is checking now. */
  | { claimed: false; standing: ManagerStanding };

/**
 * Takes the person's check when it is due, in one statement (as access checks do): the
 * row's `next_check_at` becomes the lease's end, so no other instance asks Discord
 * meanwhile, and a caller that dies mid-check holds it only until then. A row scheduled
 * further ahead than an interval can put it (the interval was shortened) is due too.
 */
export async function claimManagerCheck(
  db: DB,
  userId: string,
  check: { leaseMs: number; intervalMs: number },
  now = new Date(),
): Promise<ManagerClaim> {
  const lease = new Date(now.getTime() + check.leaseMs);
  const latest = new Date(now.getTime() + Math.max(check.leaseMs, check.intervalMs));
  const taken = await db
    .insertInto("manager_checks")
    .values({ user_id: userId, next_check_at: lease })
    .onConflict((conflict) =>
      conflict
        .column("user_id")
        .doUpdateSet({ next_check_at: lease })
        .where((where) =>
          where.or([
            where("manager_checks.next_check_at", "<=", now),
            where("manager_checks.next_check_at", ">", latest),
          ]),
        ),
    )
    .returning("user_id")
    .executeTakeFirst();
  if (taken) return { claimed: true, lease };
  const standing = await readManagerStanding(db, userId);
  return { claimed: false, standing: standing ?? { checkedAt: null, managedGuildIds: [], nextCheckAt: lease } };
}

export async function readManagerStanding(db: DB, userId: string): Promise<ManagerStanding | null> {
  const row = await db
    .selectFrom("manager_checks")
    .select(["checked_at", "managed_guild_ids", "next_check_at"])
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row
    ? { checkedAt: row.checked_at, managedGuildIds: row.managed_guild_ids, nextCheckAt: row.next_check_at }
    : null;
}

/**
 * Discord's answer to a claimed check, written only while the claim still holds: a check
 * that outlived its lease lost it, and must not overwrite a newer answer. Null then.
 */
export async function recordManagedGuilds(
  db: DB,
  userId: string,
  lease: Date,
  answer: { managedGuildIds: string[]; nextCheckAt: Date },
  now = new Date(),
): Promise<ManagerStanding | null> {
  const row = await db
    .updateTable("manager_checks")
    .set({ checked_at: now, managed_guild_ids: answer.managedGuildIds, next_check_at: answer.nextCheckAt })
    .where("user_id", "=", userId)
    .where("next_check_at", "=", lease)
    .returning(["checked_at", "managed_guild_ids", "next_check_at"])
    .executeTakeFirst();
  return row
    ? { checkedAt: row.checked_at, managedGuildIds: row.managed_guild_ids, nextCheckAt: row.next_check_at }
    : null;
}

/** Gives a claimed check back, due at once, when Discord could not answer it. */
export async function releaseManagerCheck(db: DB, userId: string, lease: Date, now = new Date()): Promise<void> {
  await db
    .updateTable("manager_checks")
    .set({ next_check_at: now })
    .where("user_id", "=", userId)
    .where("next_check_at", "=", lease)
    .execute();
}
