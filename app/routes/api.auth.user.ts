import type { LoaderFunctionArgs } from "@remix-run/node";
import { getActiveSession } from "~/auth/session.server";
import { getConfig } from "~/config.server";
import { toPublicProfile } from "~/presenters/profile";
import { baselineSecurityHeaders } from "~/security-headers.server";
import { jsonError, jsonMethodNotAllowed } from "~/utils/json-response.server";

/** The signed-in user as JSON, for scripts and front-end code; 401 JSON when signed out. */
export async function loader({ request }: LoaderFunctionArgs) {
  const headers = { "Cache-Control": "private, no-store", ...baselineSecurityHeaders(getConfig()) };
  const active = await getActiveSession(request);
  if (!active) return jsonError(401, "unauthorized", "Not signed in. Log in at /login.", headers);
  return Response.json({ user: toPublicProfile(active.user, getConfig().discord.cdnUrl) }, { headers });
}

export const action = () => jsonMethodNotAllowed("GET");
