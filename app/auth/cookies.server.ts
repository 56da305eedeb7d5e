import { createCookie, type Cookie } from "@remix-run/node";
import { getConfig } from "~/config.server";
import { LOGIN_ATTEMPT_LIFETIME_MS } from "~/models/login-attempt.server";

/**
 * The app's cookies, one per lifetime (docs/decisions/004-cookies-by-lifetime.md):
 * - session: the session's secret, written only when a session begins or ends;
 * - login: the login in flight (OAuth state and returnTo), for as long as a login may take;
 * - notice: a one-shot message for the next page;
 * - access-ended: whose access here has just ended, so that this browser may have what
 *   is kept of them deleted (auth/kept-profile.server.ts), for a quarter of an hour;
 * - bot-add: the bot being added to a server (state, server, person), for as long as
 *   Discord's screen may take (dashboard/add-bot.server.ts);
 * - shared: the features the person in this browser shared beyond the login's scopes (the
 *   server list, Linked Roles), so that their next login asks for them again, as long as
 *   a login lasts (auth/more-access.server.ts).
 * Each is signed (SESSION_SECRET, rotatable), HttpOnly and SameSite=Lax, and when the app
 * is served over https Secure with the __Host- prefix, which browsers accept only if it is
 * also host-only and Path=/: a sibling subdomain can neither plant nor overwrite it.
 * A browser keeps at most 4096 bytes of a cookie, name and attributes included, and drops
 * a larger one without a word (Remix throws before it gets there): only the login cookie
 * carries anything a client sent, its returnTo, which auth/return-to.ts bounds once encoded.
 */
export type CookieKind = "session" | "login" | "notice" | "access-ended" | "bot-add" | "shared";

/** A notice is for the very next page; one not shown by then is not worth showing later. */
const NOTICE_LIFETIME_SECONDS = 60;
/** Long enough to read the refusal page and decide; later, logging in again offers it anew. */
export const ACCESS_ENDED_LIFETIME_SECONDS = 15 * 60;

const cookies = new Map<CookieKind, Cookie>();

export function appCookie(kind: CookieKind): Cookie {
  let cookie = cookies.get(kind);
  if (!cookie) {
    const { secureCookies, sessionSecrets, sessionMaxAgeMs } = getConfig();
    const maxAgeSeconds = {
      session: Math.floor(sessionMaxAgeMs / 1000),
      login: Math.floor(LOGIN_ATTEMPT_LIFETIME_MS / 1000),
      notice: NOTICE_LIFETIME_SECONDS,
      "access-ended": ACCESS_ENDED_LIFETIME_SECONDS,
      "bot-add": Math.floor(LOGIN_ATTEMPT_LIFETIME_MS / 1000),
      shared: Math.floor(sessionMaxAgeMs / 1000),
    }[kind];
    cookie = createCookie(secureCookies ? `__Host-${kind}` : kind, {
      httpOnly: true,
      sameSite: "lax",
      secure: secureCookies,
      path: "/",
      maxAge: maxAgeSeconds,
      secrets: sessionSecrets,
    });
    cookies.set(kind, cookie);
  }
  return cookie;
}

// Pages read a cookie more than once (the layout and the page both ask who is signed in);
// each reading verifies the signature, so one request reads each cookie once.
const readings = new WeakMap<Request, Map<CookieKind, Promise<unknown>>>();

/** The cookie's value in this request, verified: null when absent, unsigned or forged. */
export function readCookie(request: Request, kind: CookieKind): Promise<unknown> {
  let perRequest = readings.get(request);
  if (!perRequest) readings.set(request, (perRequest = new Map<CookieKind, Promise<unknown>>()));
  let reading = perRequest.get(kind);
  if (!reading) {
    reading = appCookie(kind)
      .parse(request.headers.get("Cookie"))
      .then((value: unknown) => value ?? null);
    perRequest.set(kind, reading);
  }
  return reading;
}

/** Set-Cookie that removes the cookie from the browser. */
export function clearCookie(kind: CookieKind): Promise<string> {
  return appCookie(kind).serialize("", { maxAge: 0, expires: new Date(0) });
}

/** Whether the request carries the cookie at all, valid or not. */
export function carriesCookie(request: Request, kind: CookieKind): boolean {
  const name = `${appCookie(kind).name}=`;
  return (request.headers.get("Cookie") ?? "").split(";").some((pair) => pair.trim().startsWith(name));
}
