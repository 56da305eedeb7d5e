import { getConfig } from "~/config.server";

/**
 * Guards every action that changes state. Only a POST may change anything (a PUT or
 * DELETE sent by a script gets 405), and only one sent from this site: browsers send
 * Origin with every POST, old ones only Referer, so a form on another site (cross-site
 * request forgery) is refused with 403. A request with neither header (curl, a server)
 * is let through: it carries no browser's cookie by accident.
 */
export function requireStateChange(request: Request): void {
  if (request.method !== "POST") {
    throw new Response("Only POST may change anything here.", {
      status: 405,
      statusText: "Method Not Allowed",
      headers: { Allow: "POST", "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  const { appUrl } = getConfig();
  const origin = request.headers.get("Origin") || refererOrigin(request.headers.get("Referer"));
  if (origin === null || origin === appUrl) return;
  throw new Response(
    `This form was sent from another site (${origin.slice(0, 200)}), so it was refused. Open ${appUrl} and try again.`,
    { status: 403, statusText: "Forbidden", headers: { "Content-Type": "text/plain; charset=utf-8" } },
  );
}

function refererOrigin(referer: string | null): string | null {
  if (!referer) return null;
  try {
    return new URL(referer).origin;
  } catch {
    return "an unreadable address";
  }
}
