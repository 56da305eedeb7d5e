import type { DB } from "~/db/db.server";

/** Where a person stands with the access rules, as every instance sees it. */
export interface AccessStanding {
  /** When the next check is due (or, while one is in flight, when its lease runs out). */
  nextCheckAt: Date;
  confirmedAt: Date | null;
  unconfirmedSince: Date | null;
  /** The required server and roles they passed with. */
  guildId: string | null;
  roleIds: string[];
}

export type Claim =
  /** This caller asks Discord; Discord has failed to answer since `unconfirmedSince` (or not). */
  | { claimed: true; unconfirmedSince: Date | null }
  /** Someone checked recently, or is checking now. */
  | { claimed: false; standing: AccessStanding };

/**
 * Takes the person's check when it is due (or was made under other rules), in one
 * statement: the row's `next_check_at` becomes `now + leaseMs`, so no other instance takes
 * it meanwhile, and a caller that dies mid-check holds it only until the lease runs out.
 * A person with no row yet (they signed in before the rules existed) is due at once.
 */
export async function claimAccessCheck(
  db: DB,
  userId: string,
  rules: string,
  leaseMs: number,
  now = new Date(),
): Promise<Claim> {
  const lease = new Date(now.getTime() + leaseMs);
  const taken = await db
    .insertInto("access_checks")
    .values({ user_id: userId, rules, next_check_at: lease })
    .onConflict((conflict) =>
      conflict
        .column("user_id")
        .doUpdateSet({ rules, next_check_at: lease })
        .where((where) =>
          where.or([where("access_checks.next_check_at", "<=", now), where("access_checks.rules", "<>", rules)]),
        ),
    )
    .returning("unconfirmed_since")
    .executeTakeFirst();
  if (taken) return { claimed: true, unconfirmedSince: taken.unconfirmed_since };
  const standing = await readAccessStanding(db, userId);
  // The row cannot vanish between the two statements but with the user; then nothing is due.
  return { claimed: false, standing: standing ?? { ...NEVER_CONFIRMED, nextCheckAt: lease } };
}

const NEVER_CONFIRMED = { confirmedAt: null, unconfirmedSince: null, guildId: null, roleIds: [] };

export async function readAccessStanding(db: DB, userId: string): Promise<AccessStanding | null> {
  const row = await db
    .selectFrom("access_checks")
    .select(["next_check_at", "confirmed_at", "unconfirmed_since", "guild_id", "role_ids"])
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row
    ? {
        nextCheckAt: row.next_check_at,
        confirmedAt: row.confirmed_at,
        unconfirmedSince: row.unconfirmed_since,
        guildId: row.guild_id,
        roleIds: row.role_ids,
      }
    : null;
}

/** Discord confirmed the person passes: recorded with what they passed with, next check at `nextCheckAt`. */
export async function recordAccessConfirmed(
  db: DB,
  userId: string,
  rules: string,
  passed: { guildId: string; roleIds: string[] },
  nextCheckAt: Date,
  now = new Date(),
): Promise<AccessStanding> {
  const values = {
    rules,
    next_check_at: nextCheckAt,
    confirmed_at: now,
    unconfirmed_since: null,
    guild_id: passed.guildId,
    role_ids: passed.roleIds,
  };
  await db
    .insertInto("access_checks")
    .values({ user_id: userId, ...values })
    .onConflict((conflict) => conflict.column("user_id").doUpdateSet(values))
    .execute();
  return { nextCheckAt, confirmedAt: now, unconfirmedSince: null, guildId: passed.guildId, roleIds: passed.roleIds };
}

/** Discord could not be asked: the first failure's time is kept; the next try is at `nextCheckAt`. */
export async function recordAccessUnconfirmed(
  db: DB,
  userId: string,
  unconfirmedSince: Date,
  nextCheckAt: Date,
): Promise<void> {
  await db
    .updateTable("access_checks")
    .set({ unconfirmed_since: unconfirmedSince, next_check_at: nextCheckAt })
    .where("user_id", "=", userId)
    .execute();
}
