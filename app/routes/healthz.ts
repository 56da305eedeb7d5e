import { json } from "@remix-run/node";
import { checkDatabase } from "~/db/health.server";

const noStore = { "Cache-Control": "no-store" };

/** For load balancers and orchestrators: 200 when this instance can serve, 503 when its database cannot be reached. */
export async function loader() {
  const database = await checkDatabase();
  return database.ok
    ? json({ status: "ok", database: "ok" }, { headers: noStore })
    : json({ status: "unavailable", database: database.reason }, { status: 503, headers: noStore });
}
