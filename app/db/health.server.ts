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
