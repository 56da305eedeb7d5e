// @ts-check
"use strict";
// Loaded into the remix-serve process by server/preload.cjs (node --require).
//
// Remix v2 refuses a POST, PUT, PATCH or DELETE to a page, and any request but a GET to a
// single-fetch data URL (/page.data: a HEAD or a CORS preflight's OPTIONS too), whose Origin
// does not match the Host it was sent to, before any route sees it, and answers with a 500:
// a cross-site form reads as a server failure. The same refusal is made here first, as the
// 403 page it is. The app's own, stricter check (app/auth/state-change.server.ts) still
// guards every action; this one only keeps Remix's from turning a refusal into a 500.

const http = require("node:http");

/** The requests Remix checks: any method but GET and HEAD, and HEAD too on a data URL. */
function checkedByRemix(/** @type {http.IncomingMessage} */ req) {
  if (req.method === "GET") return false;
  if (req.method !== "HEAD") return true;
  return (req.url ?? "").split("?")[0]?.endsWith(".data") ?? false;
}

const PAGE = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Request refused</title></head>
<body>
<main>
<h1>Request refused</h1>
<p>This request was sent from another site, so it was refused: nothing was changed. If you meant to do this, open this site and try again from its own pages.</p>
<p><a href="/">Go to the home page</a></p>
</main>
</body>
</html>
`;

/** @type {(this: http.Server, event: string, ...args: any[]) => boolean} */
const emit = http.Server.prototype.emit;
/** @param {string} event @param {any[]} args */
http.Server.prototype.emit = function emitRefusingCrossSite(event, ...args) {
  if (event === "request") {
    const [req, res] = /** @type {[http.IncomingMessage, http.ServerResponse]} */ (/** @type {unknown} */ (args));
    if (checkedByRemix(req) && !originMatchesHost(req)) {
      res.writeHead(403, {
        "Content-Type": "text/html; charset=utf-8",
        "Content-Security-Policy": "default-src 'none'",
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store",
      });
      res.end(req.method === "HEAD" ? undefined : PAGE);
      return true;
    }
  }
  return emit.call(this, event, ...args);
};

/**
 * Remix's rule (throwIfPotentialCSRFAttack in @remix-run/server-runtime): a request with an
 * Origin must name the host it was sent to (X-Forwarded-Host, else Host). Without an Origin
 * it passes here; the app decides.
 * @param {http.IncomingMessage} req
 */
function originMatchesHost(req) {
  const origin = req.headers.origin;
  if (!origin) return true;
  const forwardedHost = String(req.headers["x-forwarded-host"] ?? "")
    .split(",")[0]
    ?.trim();
  const host = forwardedHost || req.headers.host;
  if (!host || origin === "null") return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
