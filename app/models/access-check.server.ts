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
  /**
   * This caller asks Discord, and holds the check until `lease` (or until it releases it);
   * Discord last confirmed the person at `confirmedAt`, and has failed to answer since
   * `unconfirmedSince` (or not).
   */
  | { claimed: true; lease: Date; confirmedAt: Date | null; unconfirmedSince: Date | null }
  /** Someone checked recently, or is checking now. */
  | { claimed: false; standing: AccessStanding };

/**
 * Takes the person's check when it is due, in one statement: the row's `next_check_at`
 * becomes the lease's end, so no other instance takes it meanwhile, and a caller that dies
 * mid-check holds it only until then. Due means: the time has come, the row was checked
 * under other rules, or it is scheduled further ahead than a check or an interval can put
 * it (under a longer interval than today's). A person with no row yet (signed in before
 * the rules existed) is due at once.
 */
export async function claimAccessCheck(
  db: DB,
  userId: string,
  check: { rules: string; leaseMs: number; intervalMs: number },
  now = new Date(),
): Promise<Claim> {
  const lease = new Date(now.getTime() + check.leaseMs);
  const latest = new Date(now.getTime() + Math.max(check.leaseMs, check.intervalMs));
  const taken = await db
    .insertInto("access_checks")
    .values({ user_id: userId, rules: check.rules, next_check_at: lease })
    .onConflict((conflict) =>
      conflict
        .column("user_id")
        .doUpdateSet({ rules: check.rules, next_check_at: lease })
        .where((where) =>
          where.or([
            where("access_checks.next_check_at", "<=", now),
            where("access_checks.next_check_at", ">", latest),
            where("access_checks.rules", "<>", check.rules),
          ]),
        ),
    )
    .returning(["confirmed_at", "unconfirmed_since"])
    .executeTakeFirst();
  if (taken)
    return { claimed: true, lease, confirmedAt: taken.confirmed_at, unconfirmedSince: taken.unconfirmed_since };
  const standing = await readAccessStanding(db, userId);
  // The row cannot vanish between the two statements but with the user; then nothing is due.
  return { claimed: false, standing: standing ?? { ...NEVER_CONFIRMED, nextCheckAt: lease } };
}

/**
 * Gives a claimed check back, due at once, when it could not be finished: holding the
 * lease would let other callers in on the old standing until it ran out.
 */
export async function releaseAccessCheck(db: DB, userId: string, lease: Date, now = new Date()): Promise<void> {
  await db
    .updateTable("access_checks")
    .set({ next_check_at: now })
    .where("user_id", "=", userId)
    .where("next_check_at", "=", lease)
    .execute();
}

/** A standing with nothing confirmed yet, but for when the next check is due. */
export const NEVER_CONFIRMED: Omit<AccessStanding, "nextCheckAt"> = {
  confirmedAt: null,
  unconfirmedSince: null,
  guildId: null,
  roleIds: [],
};

const STANDING_COLUMNS = ["next_check_at", "confirmed_at", "unconfirmed_since", "guild_id", "role_ids"] as const;

type StandingRow = {
  next_check_at: Date;
  confirmed_at: Date | null;
  unconfirmed_since: Date | null;
  guild_id: string | null;
  role_ids: string[];
};

function toStanding(row: StandingRow): AccessStanding {
  return {
    nextCheckAt: row.next_check_at,
    confirmedAt: row.confirmed_at,
    unconfirmedSince: row.unconfirmed_since,
    guildId: row.guild_id,
    roleIds: row.role_ids,
  };
}

export async function readAccessStanding(db: DB, userId: string): Promise<AccessStanding | null> {
  const row = await db
    .selectFrom("access_checks")
    .select(STANDING_COLUMNS)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row ? toStanding(row) : null;
}

export interface Confirmation {
  rules: string;
  guildId: string;
  roleIds: string[];
  nextCheckAt: Date;
}

/** At login: Discord has just confirmed the person passes, whatever was recorded before. */
export async function recordAccessAtLogin(db: DB, userId: string, confirmed: Confirmation, now = new Date()) {
  const values = {
    rules: confirmed.rules,
    next_check_at: confirmed.nextCheckAt,
    confirmed_at: now,
    unconfirmed_since: null,
    guild_id: confirmed.guildId,
    role_ids: confirmed.roleIds,
  };
  await db
    .insertInto("access_checks")
    .values({ user_id: userId, ...values })
    .onConflict((conflict) => conflict.column("user_id").doUpdateSet(values))
    .execute();
}

/**
 * The outcome of a claimed check, written only while the claim still holds (the row's
 * `next_check_at` is still this caller's lease): a check that outlived its lease lost it
 * to another caller, whose newer answer must not be overwritten. Null when it was lost.
 */
export async function recordAccessConfirmed(
  db: DB,
  userId: string,
  lease: Date,
  confirmed: Omit<Confirmation, "rules">,
  now = new Date(),
): Promise<AccessStanding | null> {
  const row = await db
    .updateTable("access_checks")
    .set({
      next_check_at: confirmed.nextCheckAt,
      confirmed_at: now,
      unconfirmed_since: null,
      guild_id: confirmed.guildId,
      role_ids: confirmed.roleIds,
    })
    .where("user_id", "=", userId)
    .where("next_check_at", "=", lease)
    .returning(STANDING_COLUMNS)
    .executeTakeFirst();
  return row ? toStanding(row) : null;
}

/** Discord could not be asked: the first failure's time is kept; the next try is at `nextCheckAt`. */
export async function recordAccessUnconfirmed(
  db: DB,
  userId: string,
  lease: Date,
  unconfirmed: { since: Date | null; nextCheckAt: Date },
): Promise<AccessStanding | null> {
  const row = await db
    .updateTable("access_checks")
    .set({ unconfirmed_since: unconfirmed.since, next_check_at: unconfirmed.nextCheckAt })
    .where("user_id", "=", userId)
    .where("next_check_at", "=", lease)
    .returning(STANDING_COLUMNS)
    .executeTakeFirst();
  return row ? toStanding(row) : null;
}
