import { getConfig } from "~/config.server";
import { carriesCookie } from "./cookies.server";

/**
 * Guards every action that changes state: it must be a POST sent from this site. Another
 * method (a PUT or DELETE sent by a script) gets 405; a request from elsewhere (cross-site
 * request forgery) gets 403:
 * - a request that says where it comes from (Origin; Referer from browsers that send no
 *   Origin) must come from APP_URL;
 * - a request carrying the session cookie must say so: Origin, or Sec-Fetch-Site:
 *   same-origin. Every browser sends one of them with a POST, so a cookie without either
 *   is not a person's browser acting on a page of this site;
 * - a request with neither the cookie nor an Origin (curl, a server) is let through: it
 *   acts for nobody.
 */
export function requireSameSitePost(request: Request): void {
  if (request.method !== "POST") {
    throw new Response("Only POST may change anything here.", {
      status: 405,
      statusText: "Method Not Allowed",
      headers: { Allow: "POST", "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  const { appUrl } = getConfig();
  const origin = request.headers.get("Origin") || refererOrigin(request.headers.get("Referer"));
  if (origin === appUrl) return;
  if (origin === null) {
    const fetchSite = request.headers.get("Sec-Fetch-Site");
    if (fetchSite === "same-origin" || (fetchSite === null && !carriesCookie(request, "session"))) return;
  }
  const from =
    origin === null ? "a page that did not say where it came from" : `another site (${origin.slice(0, 200)})`;
  throw new Response(`This form was sent from ${from}, so it was refused. Open ${appUrl} and try again.`, {
    status: 403,
    statusText: "Forbidden",
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  });
}

function refererOrigin(referer: string | null): string | null {
  if (!referer) return null;
  try {
    return new URL(referer).origin;
  } catch {
    return "an unreadable address";
  }
}
