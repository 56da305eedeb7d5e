import { checkDatabase } from "~/db/health.server";
import { jsonMethodNotAllowed } from "~/utils/json-response.server";

const noStore = { "Cache-Control": "no-store" };

/** For load balancers and orchestrators: 200 when this instance can serve, 503 when its database cannot be reached. */
export async function loader() {
  const database = await checkDatabase();
  return database.ok
    ? Response.json({ status: "ok", database: "ok" }, { headers: noStore })
    : Response.json(
        { status: "unavailable", error: "database_unavailable", database: database.reason },
        { status: 503, headers: noStore },
      );
}

export const action = () => jsonMethodNotAllowed("GET");
