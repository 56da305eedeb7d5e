import { createCookieSessionStorage, type Session } from "@remix-run/node";
import { getConfig } from "~/config.server";

/**
 * The one cookie: signed (SESSION_SECRET, rotatable), HttpOnly, SameSite=Lax, and Secure
 * with the __Host- prefix when the app is served over https. It carries the session
 * secret, a login in flight, and one-shot notices; never user data or tokens.
 */
export interface CookieData {
  /** Secret of the server-side session (see models/session.server.ts). */
  sid: string;
  /** OAuth state of the login in flight, and where to go once it succeeds. */
  loginState: string;
  loginReturnTo: string;
}

export interface Notice {
  kind: "success" | "error" | "info";
  message: string;
}

export interface FlashData {
  notice: Notice;
}

export type CookieSession = Session<CookieData, FlashData>;

/** The cookie's name: with the __Host- prefix when the app is served over https. */
export function cookieName(): string {
  return getConfig().secureCookies ? "__Host-session" : "session";
}

/** Whether the request carries the app's cookie at all (valid or not). */
export function carriesCookie(request: Request): boolean {
  const name = cookieName();
  return (request.headers.get("Cookie") ?? "").split(";").some((pair) => pair.trim().startsWith(`${name}=`));
}

type Storage = ReturnType<typeof createCookieSessionStorage<CookieData, FlashData>>;
let storage: Storage | undefined;

export function cookieStorage(): Storage {
  if (storage) return storage;
  const { secureCookies, sessionSecrets } = getConfig();
  storage = createCookieSessionStorage<CookieData, FlashData>({
    cookie: {
      // The __Host- prefix makes browsers refuse the cookie unless it is Secure,
      // host-only and Path=/, so a sibling subdomain cannot plant or overwrite it.
      name: cookieName(),
      httpOnly: true,
      sameSite: "lax",
      secure: secureCookies,
      path: "/",
      secrets: sessionSecrets,
    },
  });
  return storage;
}

// Pages look at the cookie more than once (the session, then the notice); each reading
// verifies the signature, so one request reads it once and shares the result.
const readings = new WeakMap<Request, Promise<CookieSession>>();

/** The request's cookie, verified and parsed once per request. */
export function readCookie(request: Request): Promise<CookieSession> {
  let reading = readings.get(request);
  if (!reading) {
    reading = cookieStorage().getSession(request.headers.get("Cookie"));
    readings.set(request, reading);
  }
  return reading;
}

/** A cookie that starts empty, whatever the browser sent: new logins never inherit old state. */
export function freshCookie(): Promise<CookieSession> {
  return cookieStorage().getSession(null);
}

/** Set-Cookie for a session; `maxAgeSeconds` makes it outlive the browser window. */
export function writeCookie(session: CookieSession, maxAgeSeconds?: number): Promise<string> {
  return cookieStorage().commitSession(session, maxAgeSeconds === undefined ? undefined : { maxAge: maxAgeSeconds });
}

export function clearCookie(session: CookieSession): Promise<string> {
  return cookieStorage().destroySession(session);
}
