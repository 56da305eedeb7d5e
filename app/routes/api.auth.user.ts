import type { LoaderFunctionArgs } from "@remix-run/node";
import { accessEnded, getActiveSession } from "~/auth/session.server";
import { getConfig } from "~/config.server";
import { GrantLostError } from "~/discord/grant.server";
import { toPublicProfile } from "~/presenters/profile";
import { baselineSecurityHeaders } from "~/security-headers.server";
import { jsonError, jsonMethodNotAllowed } from "~/utils/json-response.server";

/** The signed-in user as JSON, for scripts and front-end code; 401 JSON when signed out. */
export async function loader({ request }: LoaderFunctionArgs) {
  const headers = { "Cache-Control": "private, no-store", ...baselineSecurityHeaders() };
  const active = await getActiveSession(request);
  if (!active) return jsonError(401, "unauthorized", "Not signed in. Log in at /login.", headers);
  // The same re-check of the access rules as a page load: scripts are held to them too.
  const ended = await accessEnded(active.user.id).catch((error: unknown) => {
    if (error instanceof GrantLostError) return "grant_lost";
    throw error;
  });
  if (ended) return jsonError(401, "access_ended", `Your access has ended (${ended}). Log in at /login.`, headers);
  return Response.json({ user: toPublicProfile(active.user, getConfig().discord.cdnUrl) }, { headers });
}

export const action = () => jsonMethodNotAllowed("GET");
