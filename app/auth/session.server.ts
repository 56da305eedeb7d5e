import { redirect } from "@remix-run/node";
import { confirmAccess, type AccessEnded } from "~/access/recheck.server";
import { getConfig } from "~/config.server";
import { getDb } from "~/db/db.server";
import type { User } from "~/db/schema";
import { GrantLostError } from "~/discord/grant.server";
import { forgetGuilds } from "~/discord/guild-cache.server";
import {
  createSession,
  deleteSessionBySecret,
  findActiveSession,
  touchSession,
  type ActiveSession,
} from "~/models/session.server";
import { serviceUnavailable } from "~/utils/unavailable.server";
import { clientDetails } from "./client-details.server";
import { appCookie, carriesCookie, clearCookie, readCookie } from "./cookies.server";
import { rememberAccessEnded } from "./kept-profile.server";
import { redirectWithNotice, type Notice } from "./notice.server";
import { accessRefusedPath } from "./refusal";
import { safeReturnTo } from "./return-to";

export function loginPath(returnTo?: string): string {
  return returnTo ? `/login?${new URLSearchParams({ returnTo })}` : "/login";
}

// The layout and the page both ask who is signed in: one lookup per request.
const lookups = new WeakMap<Request, Promise<ActiveSession | null>>();

/** The signed-in session behind this request's cookie, or null. */
export function getActiveSession(request: Request): Promise<ActiveSession | null> {
  let lookup = lookups.get(request);
  if (!lookup) {
    lookup = readCookie(request, "session").then((secret) => findActiveSession(getDb(), secret));
    lookups.set(request, lookup);
  }
  return lookup;
}

const SESSION_ENDED: Notice = { kind: "info", message: "Your session has ended. Please log in again." };
const GRANT_LOST: Notice = {
  kind: "error",
  message:
    "Discord no longer accepts this app's access to your account (it was revoked or has expired). Please log in again.",
};

const BEING_CONFIRMED =
  "Your membership of this site's Discord server is being confirmed with Discord. Please try again in a few seconds.";

const RULES_NEED_NEW_LOGIN: Notice = {
  kind: "info",
  message:
    "This site now checks your membership of its Discord server, which needs your permission: please log in again.",
};

/**
 * For protected loaders and actions: the user and session, or a redirect to the login
 * page that brings them back here afterwards (and, if their session ended, says so).
 * It also keeps the access rules true: when the person's check is due it is made, and if
 * they no longer pass, their access ends and they are told why. `accessRules: "exempt"`
 * is for the actions that must work whatever the rules say (ending sessions, revoking,
 * deleting the account): they only take access away.
 */
export async function requireUser(
  request: Request,
  options: { accessRules?: "enforced" | "exempt" } = {},
): Promise<ActiveSession> {
  const active = await getActiveSession(request);
  if (active) {
    await touchSession(getDb(), active.session);
    if (options.accessRules !== "exempt") await requireAccess(request, active.user.id);
    return active;
  }
  const ended = (await readCookie(request, "session")) !== null;
  throw await redirectToLogin(request, ended ? SESSION_ENDED : null);
}

/**
 * Runs a signed-in page's work with Discord. A lost grant (GrantLostError: the grant, and
 * with it every session, has been ended) sends the person to log in again, saying why.
 */
export async function loginAgainIfGrantLost<T>(request: Request, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof GrantLostError)) throw error;
    throw await redirectToLogin(request, GRANT_LOST);
  }
}

async function requireAccess(request: Request, userId: string): Promise<void> {
  const ended = await loginAgainIfGrantLost(request, () => accessEnded(userId));
  if (!ended) return;
  if (ended === "scope_missing") throw await redirectToLogin(request, RULES_NEED_NEW_LOGIN);
  // The refusal page says why, and what is still kept; the session cookie goes with the
  // sessions, and the browser may have what is kept deleted.
  const headers = await sessionCookieCleared();
  headers.append("Set-Cookie", await rememberAccessEnded(userId));
  throw redirect(accessRefusedPath(ended), { headers });
}

/**
 * Null while the person passes the access rules (or there are none); otherwise why their
 * access has just ended, every session with it. Throws GrantLostError when their grant is
 * gone, and a 503 while only a check under way elsewhere can let them in.
 */
export async function accessEnded(userId: string): Promise<AccessEnded | null> {
  const rules = getConfig().access;
  const outcome = rules ? await confirmAccess(userId, rules) : null;
  if (!outcome || outcome.ok) return null;
  if ("ended" in outcome) return outcome.ended;
  throw serviceUnavailable(BEING_CONFIRMED, 5);
}

/**
 * To the login page, coming back to this page (when it was a GET) after logging in. Only a
 * path the login would keep as it is goes along: any other (too long, say) would only
 * make the redirect longer, to be dropped at the login anyway.
 */
async function redirectToLogin(request: Request, notice: Notice | null): Promise<Response> {
  const url = new URL(request.url);
  const here = `${url.pathname}${url.search}`;
  const returnTo = request.method === "GET" && safeReturnTo(here) === here ? here : undefined;
  const headers = notice ? await sessionCookieCleared() : undefined;
  return redirectWithNotice(loginPath(returnTo), notice, { headers });
}

/**
 * Starts a session for a user who just logged in, in a new session cookie: a session id
 * the browser had before (planted, or left over) is not kept, and its session ends.
 * Returns the headers that set it.
 */
export async function beginSession(request: Request, user: User): Promise<Headers> {
  const { sessionMaxAgeMs } = getConfig();
  const db = getDb();
  await deleteSessionBySecret(db, await readCookie(request, "session"));
  const { secret } = await createSession(db, user.id, clientDetails(request), sessionMaxAgeMs);
  const headers = new Headers({ "Set-Cookie": await appCookie("session").serialize(secret) });
  // Signed in: whatever access ended before in this browser is over.
  if (carriesCookie(request, "access-ended")) headers.append("Set-Cookie", await clearCookie("access-ended"));
  return headers;
}

/**
 * Ends this browser's session, the row and the cookie (and forgets the person's server
 * list here); returns the headers that clear the cookie. When the person withdrew their
 * grant (revoked, or deleted their account), the browser also forgets what they had
 * shared, so that their next login asks only for the login's scopes.
 */
export async function endSession(request: Request, options: { withdrawn?: boolean } = {}): Promise<Headers> {
  const active = await getActiveSession(request).catch(() => null);
  await deleteSessionBySecret(getDb(), await readCookie(request, "session"));
  if (active) forgetGuilds(active.user.id);
  const headers = await sessionCookieCleared();
  if (options.withdrawn && carriesCookie(request, "shared")) headers.append("Set-Cookie", await clearCookie("shared"));
  return headers;
}

async function sessionCookieCleared(): Promise<Headers> {
  return new Headers({ "Set-Cookie": await clearCookie("session") });
}
