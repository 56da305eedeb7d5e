import { performance } from "node:perf_hooks";
import { checkDatabase } from "~/db/health.server";
import { activeSessions } from "~/models/session-events.server";
import { jsonMethodNotAllowed } from "~/utils/json-response.server";

const noStore = { "Cache-Control": "no-store" };

/**
 * For load balancers and orchestrators: 200 when this instance can serve, 503 when its
 * database cannot be reached. `session_cache` says whether active sessions are served
 * from memory ("live": every ending committed over a second ago is proven to have arrived) or
 * read from the database ("bypassed": not proven now; slower, never stale).
 */
export async function loader() {
  const database = await checkDatabase();
  const sessionCache = activeSessions.isUsable(performance.now()) ? "live" : "bypassed";
  return database.ok
    ? Response.json({ status: "ok", database: "ok", session_cache: sessionCache }, { headers: noStore })
    : Response.json(
        {
          status: "unavailable",
          error: "database_unavailable",
          database: database.reason,
          session_cache: sessionCache,
        },
        { status: 503, headers: noStore },
      );
}

export const action = () => jsonMethodNotAllowed("GET");
