import { AccessRefusedError } from "~/access/at-login.server";
import { joinNotice, joinStart } from "~/community/join.server";
import { getConfig } from "~/config.server";
import { log, requestId } from "~/utils/logger.server";
import { readForm } from "~/utils/read-form.server";
import { getAuthenticator } from "./authenticator.server";
import { clearCookie, readCookie } from "./cookies.server";
import type { LoginFinish, LoginInFlight, LoginStart } from "./discord-strategy.server";
import { rememberRefusedAccount } from "./kept-profile.server";
import { endsLoginInFlight, LoginError, loginFailureMessage } from "./login-error.server";
import { loginScopes, rememberShared, upgradeStart } from "./more-access.server";
import { redirectWithNotice, type Notice } from "./notice.server";
import { enforceRateLimit } from "./rate-limit.server";
import { accessRefusedPath } from "./refusal";
import { DEFAULT_RETURN_TO, safeReturnTo } from "./return-to";
import { requireSameSitePost } from "./same-site.server";
import { beginSession, endSession, getActiveSession, loginPath } from "./session.server";

const MORE_ACCESS_GRANTED = { kind: "success", message: "Done: Discord now shares what this page needs." } as const;
const LINKED_ROLES_NOT_SENT = {
  kind: "error",
  message:
    "You are logged in, but Discord did not take your Linked Roles details. Send them again from the Linked Roles page.",
} as const;
const MORE_ACCESS_DENIED = "You cancelled on Discord, so nothing more was shared. You are still logged in.";

/**
 * "Log in with Discord" (the POST of the login form): remembers the login in the login
 * cookie and sends the browser to Discord's consent page. Always throws that redirect, or
 * the refusal (403, 405, 429).
 */
export async function startLogin(request: Request): Promise<never> {
  requireSameSitePost(request);
  await enforceRateLimit(request, "login-start");
  // A body that is not a form is simply a login without a returnTo.
  const form = await readForm(request);
  const returnTo = form.get("returnTo");
  const start: LoginStart = form.has("feature")
    ? await upgradeStart(request, form.get("feature"), returnTo)
    : form.has("join")
      ? joinStart(form.get("join"), returnTo, await loginScopes(request))
      : form.get("account") === "another"
        ? // Discord's screen, so the person sees which account it would use; asking only
          // the login's scopes, as what this browser shared was another person's.
          { start: true, returnTo, prompt: "consent" }
        : // Discord skips its screen only for a person who granted every scope asked before.
          { start: true, returnTo, prompt: "none", scopes: await loginScopes(request) };
  // remix-auth copies the request it is given, body included, and the body has been read:
  // the strategy only needs the URL and the cookie, so it gets them without the body.
  const bodiless = new Request(request.url, { method: request.method, headers: request.headers });
  await getAuthenticator().authenticate("discord", bodiless, { context: { ...start } });
  throw new Error("the login did not redirect to Discord"); // authenticate() always throws above
}

/**
 * Discord's answer (the callback): on success a new session and its cookie (an upgrade
 * keeps the session it was for), then on to where the login was started for; on any
 * failure the login page (for an upgrade, the page that asked), saying what happened.
 * The one place a GET changes state: OAuth 2.0 leaves no other way.
 */
export async function finishLogin(request: Request): Promise<Response> {
  const inFlight = (await readCookie(request, "login")) as Partial<LoginInFlight> | null;
  // A callback this browser did not start a login for is junk (or a stale link): counted
  // apart, it cannot use up the allowance of the real ones.
  await enforceRateLimit(request, inFlight ? "login-callback" : "stray-callback");
  const returnTo = safeReturnTo(inFlight?.returnTo);
  // Verify reports back in it what joining the server and Linked Roles did, when due.
  const finish: LoginFinish = { upgrade: inFlight?.upgrade, join: inFlight?.join };
  try {
    const user = await getAuthenticator().authenticate("discord", request, { context: finish });
    // An upgrade for the person signed in here keeps their session; any other login begins one.
    const kept = inFlight?.upgrade && (await getActiveSession(request))?.user.id === user.id;
    const headers = kept ? new Headers() : await beginSession(request, user);
    headers.append("Set-Cookie", await clearCookie("login"));
    const shared = await rememberShared(request, finish.granted ?? []);
    if (shared) headers.append("Set-Cookie", shared);
    return redirectWithNotice(returnTo, landingNotice(finish, !!kept), { headers });
  } catch (thrown) {
    if (thrown instanceof Response) throw thrown; // the database's 503
    if (thrown instanceof AccessRefusedError) {
      // Not a failure to retry: the page says which server (and roles) it takes, and what
      // is kept from earlier visits, if anything, for this browser to have deleted.
      log.info("login refused by the access rules", { request_id: requestId(request), reason: thrown.reason });
      // Refused while asking for more: the session it was for ends here too.
      const headers = inFlight?.upgrade ? await endSession(request) : new Headers();
      headers.append("Set-Cookie", await clearCookie("login"));
      const kept = await rememberRefusedAccount(thrown.discordId);
      if (kept) headers.append("Set-Cookie", kept);
      // Joining failed, or was not enough: the refusal page shows why with the rules.
      return redirectWithNotice(accessRefusedPath(thrown.reason), joinedNotice(finish), { headers });
    }
    // Anything unexpected (say, the database refused a write) still ends on the login
    // page with a way to try again; the login's writes were one transaction, so nothing
    // half-done is left behind.
    const error = thrown instanceof LoginError ? thrown : new LoginError({ reason: "server_error" }, thrown as Error);
    log.warn("login failed", {
      request_id: requestId(request),
      reason: error.failure.reason,
      cause: error.cause instanceof Error ? error.cause.message : undefined,
    });
    // An answer that does not match the login in flight (a forged or stale link) must not
    // cancel it: the real answer may still be on its way from Discord.
    const headers = new Headers();
    if (endsLoginInFlight(error.failure)) headers.append("Set-Cookie", await clearCookie("login"));
    // A failed upgrade leaves the person signed in, back on the page that asked.
    const retry = inFlight?.upgrade ? returnTo : loginPath(returnTo === DEFAULT_RETURN_TO ? undefined : returnTo);
    const denied = error.failure.reason === "denied";
    const notice = {
      kind: denied ? "info" : "error",
      message: denied && inFlight?.upgrade ? MORE_ACCESS_DENIED : loginFailureMessage(error.failure),
    } as const;
    return redirectWithNotice(retry, notice, { headers });
  }
}

/** What the page a login lands on says: a problem first, then what the login did. */
function landingNotice(finish: LoginFinish, sessionKept: boolean): Notice | null {
  if (typeof finish.linked === "object") return LINKED_ROLES_NOT_SENT;
  return sessionKept ? MORE_ACCESS_GRANTED : joinedNotice(finish);
}

function joinedNotice(finish: LoginFinish): Notice | null {
  const { join } = getConfig();
  return join ? joinNotice(join, finish.joined ?? null) : null;
}
