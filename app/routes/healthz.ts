import { performance } from "node:perf_hooks";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { isFromThisMachine } from "~/auth/client-details.server";
import { checkDatabase, recentDatabaseHealth } from "~/db/health.server";
import { activeSessions } from "~/models/session-events.server";
import { jsonMethodNotAllowed } from "~/utils/json-response.server";

const noStore = { "Cache-Control": "no-store" };

/**
 * For load balancers and orchestrators: 200 when this instance can serve, 503 when its
 * database cannot be reached (docs/decisions/013-health-check-public-and-local.md).
 * Anyone may ask, and learns only that: their answers share one check a second. A
 * program on this machine, asking directly, gets a check of its own and the detail:
 * why the database failed, and `session_cache`, whether active sessions are served from
 * memory ("live": every ending committed over a second ago is proven to have arrived)
 * or read from the database ("bypassed": not proven now; slower, never stale).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  if (!isFromThisMachine(request)) {
    const database = await recentDatabaseHealth();
    return database.ok
      ? Response.json({ status: "ok" }, { headers: noStore })
      : Response.json(
          { status: "unavailable", error: "unavailable", message: "This instance cannot serve requests right now." },
          { status: 503, headers: noStore },
        );
  }
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
