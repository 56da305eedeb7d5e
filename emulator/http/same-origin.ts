import type { IncomingMessage } from "node:http";

/**
 * Why a form POST to one of the emulator's own pages (consent, invite) is refused as sent
 * by another site, or null when it may go on. Browsers say where a POST comes from:
 * Sec-Fetch-Site, else Origin, which must then be this page's own origin. Another port on
 * localhost (the app, say) is another origin: only the emulator's own pages post here.
 * A request that says neither (curl, a test) is not a browser acting for someone.
 */
export function crossOriginRefusal(req: Pick<IncomingMessage, "headers">): string | null {
  const fetchSite = req.headers["sec-fetch-site"];
  if (fetchSite !== undefined) {
    return fetchSite === "same-origin" || fetchSite === "none" ? null : refusal(`a ${fetchSite} page`);
  }
  const origin = req.headers.origin;
  if (origin === undefined || origin === `http://${req.headers.host}`) return null;
  return refusal(
    origin === "null" ? "a page that would not say where it was" : `another site (${origin.slice(0, 100)})`,
  );
}

function refusal(from: string): string {
  return `This form was sent from ${from}, not from the emulator's own page, so it was refused. Open the page again and use its buttons.`;
}
