import { sql } from "kysely";
import { getDb } from "./db.server";

const TIMEOUT_MS = 2_000;

export type DatabaseHealth = { ok: true } | { ok: false; reason: "unreachable" | "timeout" };

/** One round trip to Postgres, bounded so a hung server cannot hang the health check. */
export async function checkDatabase(db = getDb()): Promise<DatabaseHealth> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<DatabaseHealth>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: "timeout" }), TIMEOUT_MS);
  });
  const query = sql`select 1`.execute(db).then(
    (): DatabaseHealth => ({ ok: true }),
    (): DatabaseHealth => ({ ok: false, reason: "unreachable" }),
  );
  try {
    return await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** How long one check answers for every caller who does not need a fresh one. */
const SHARED_FOR_MS = 1_000;
let shared: { startedAt: number; health: Promise<DatabaseHealth> } | undefined;

/**
 * The database's health as of at most a second ago: one check at a time, whose answer
 * every caller within that second shares. However often it is asked, it costs Postgres at
 * most one round trip a second.
 */
export function recentDatabaseHealth(
  now = Date.now(),
  check: () => Promise<DatabaseHealth> = checkDatabase,
): Promise<DatabaseHealth> {
  if (shared && now - shared.startedAt < SHARED_FOR_MS) return shared.health;
  shared = { startedAt: now, health: check() };
  return shared.health;
}
