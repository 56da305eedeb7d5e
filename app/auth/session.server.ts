import { redirect } from "@remix-run/node";
import { getConfig } from "~/config.server";
import { getDb } from "~/db/db.server";
import type { User } from "~/db/schema";
import {
  createSession,
  deleteSessionBySecret,
  findActiveSession,
  touchSession,
  type ActiveSession,
} from "~/models/session.server";
import { clientDetails } from "./client-details.server";
import { clearCookie, freshCookie, readCookie, writeCookie, type CookieSession, type Notice } from "./cookie.server";

export function loginPath(returnTo?: string): string {
  return returnTo ? `/login?${new URLSearchParams({ returnTo })}` : "/login";
}

/** The signed-in session behind this request's cookie, or null. */
export async function getActiveSession(request: Request): Promise<ActiveSession | null> {
  const cookie = await readCookie(request);
  return findActiveSession(getDb(), cookie.get("sid"));
}

/**
 * For protected loaders and actions: the user and session, or a redirect to the login
 * page that brings them back here afterwards.
 */
export async function requireUser(request: Request): Promise<ActiveSession> {
  const cookie = await readCookie(request);
  const active = await findActiveSession(getDb(), cookie.get("sid"));
  if (active) {
    await touchSession(getDb(), active.session);
    return active;
  }
  // The session ended (expired, logged out elsewhere, revoked): say so and drop the dead id.
  const notice: Notice | undefined = cookie.has("sid")
    ? { kind: "info", message: "Your session has ended. Please log in again." }
    : undefined;
  throw await redirectToLogin(request, cookie, notice);
}

/**
 * For when the user's Discord grant turned out to be gone (GrantLostError): their sessions
 * have been deleted, so send them to log in again, saying why.
 */
export async function redirectAfterLostGrant(request: Request): Promise<never> {
  throw await redirectToLogin(request, await readCookie(request), {
    kind: "error",
    message:
      "Discord no longer accepts this app's access to your account (it was revoked or has expired). Please log in again.",
  });
}

/** To the login page, coming back to this page (when it was a GET) after logging in. */
async function redirectToLogin(request: Request, cookie: CookieSession, notice?: Notice): Promise<Response> {
  cookie.unset("sid");
  if (notice) cookie.flash("notice", notice);
  const url = new URL(request.url);
  const returnTo = request.method === "GET" ? `${url.pathname}${url.search}` : undefined;
  return redirect(loginPath(returnTo), { headers: { "Set-Cookie": await writeCookie(cookie) } });
}

/**
 * Starts a session for a user who just logged in, in a brand-new cookie: nothing from
 * the cookie the browser had before (a planted id, the login state) carries over, and
 * the session that cookie named, if any, ends.
 */
export async function beginSession(request: Request, user: User): Promise<string> {
  const { sessionMaxAgeMs } = getConfig();
  const db = getDb();
  await deleteSessionBySecret(db, (await readCookie(request)).get("sid"));
  const { secret } = await createSession(db, user.id, clientDetails(request), sessionMaxAgeMs);
  const cookie = await freshCookie();
  cookie.set("sid", secret);
  return writeCookie(cookie, Math.floor(sessionMaxAgeMs / 1000));
}

/** Ends this browser's session: the row and the cookie. */
export async function endSession(request: Request, notice?: Notice): Promise<string> {
  const cookie = await readCookie(request);
  await deleteSessionBySecret(getDb(), cookie.get("sid"));
  if (!notice) return clearCookie(cookie);
  const next = await freshCookie();
  next.flash("notice", notice);
  return writeCookie(next);
}

/**
 * Takes the one-shot notice out of the cookie. Only when there was one is a Set-Cookie
 * needed (keeping a signed-in cookie's lifetime); otherwise the page sends none.
 */
export async function takeNotice(
  request: Request,
  active: ActiveSession | null,
): Promise<{ notice: Notice | null; headers: Record<string, string> }> {
  const cookie = await readCookie(request);
  const notice = cookie.get("notice") ?? null;
  if (!notice) return { notice, headers: {} };
  return { notice, headers: { "Set-Cookie": await writeCookieKeepingSession(cookie, active) } };
}

/**
 * Set-Cookie for a changed cookie that keeps a signed-in cookie's remaining lifetime:
 * committed without Max-Age, it would end with the browser window.
 */
export async function writeCookieKeepingSession(cookie: CookieSession, active?: ActiveSession | null): Promise<string> {
  if (!cookie.has("sid")) return writeCookie(cookie);
  const session = active === undefined ? await findActiveSession(getDb(), cookie.get("sid")) : active;
  if (!session) {
    cookie.unset("sid");
    return writeCookie(cookie);
  }
  return writeCookie(cookie, remainingSeconds(session));
}

/** Seconds left in a session: the Max-Age its cookie should carry. */
export function remainingSeconds(active: ActiveSession): number {
  return Math.max(0, Math.floor((active.session.expires_at.getTime() - Date.now()) / 1000));
}
