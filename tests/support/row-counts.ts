import { sql } from "kysely";
import type { DB } from "~/db/db.server";

// What the database holds, counted for tests that must prove something was (or was not)
// written: straight from the tables, behind the app's back.

type CountedTable = "users" | "sessions" | "discord_tokens" | "login_attempts" | "access_checks";

/** The number of rows in each of `tables`, by table name. */
export async function tableCounts<T extends CountedTable>(db: DB, tables: readonly T[]): Promise<Record<T, number>> {
  const counts = {} as Record<T, number>;
  for (const table of tables) {
    const { rows } = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(db);
    counts[table] = Number(rows[0]!.n);
  }
  return counts;
}

export interface StoredAccount {
  /** Whether a user row exists for the Discord account. */
  user: boolean;
  /** Its discord_tokens rows (0 or 1). */
  tokens: number;
  sessions: number;
}

/** What is stored about one Discord account: its user row, its tokens and its sessions. */
export async function storedFor(db: DB, discordId: string): Promise<StoredAccount> {
  const user = await db.selectFrom("users").select("id").where("discord_id", "=", discordId).executeTakeFirst();
  if (!user) return { user: false, tokens: 0, sessions: 0 };
  const count = async (table: "discord_tokens" | "sessions") =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as("n"))
          .where("user_id", "=", user.id)
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { user: true, tokens: await count("discord_tokens"), sessions: await count("sessions") };
}
