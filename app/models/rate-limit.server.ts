import { sql } from "kysely";
import type { DB } from "~/db/db.server";

export interface RateLimitDecision {
  allowed: boolean;
  /** Seconds until the current window ends. */
  retryAfterSeconds: number;
}

/**
 * Counts one hit in `bucket` for the current fixed window and says whether it is within
 * `limit`. One atomic upsert, so concurrent hits on any number of instances all count.
 */
export async function hitRateLimit(
  db: DB,
  bucket: string,
  limit: number,
  windowMs: number,
  now = new Date(),
): Promise<RateLimitDecision> {
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const { hits } = await db
    .insertInto("rate_limit_hits")
    .values({ bucket, window_start: windowStart, hits: 1 })
    .onConflict((conflict) =>
      conflict.columns(["bucket", "window_start"]).doUpdateSet({ hits: sql`rate_limit_hits.hits + 1` }),
    )
    .returning("hits")
    .executeTakeFirstOrThrow();
  return {
    allowed: hits <= limit,
    retryAfterSeconds: Math.max(1, Math.ceil((windowStart.getTime() + windowMs - now.getTime()) / 1000)),
  };
}
