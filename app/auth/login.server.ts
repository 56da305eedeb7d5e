import { redirect } from "@remix-run/node";
import { AccessRefusedError } from "~/access/at-login.server";
import { log, requestId } from "~/utils/logger.server";
import { readForm } from "~/utils/read-form.server";
import { getAuthenticator } from "./authenticator.server";
import { clearCookie, readCookie } from "./cookies.server";
import type { LoginInFlight } from "./discord-strategy.server";
import { rememberRefusedAccount } from "./kept-profile.server";
import { endsLoginInFlight, LoginError, loginFailureMessage } from "./login-error.server";
import { redirectWithNotice } from "./notice.server";
import { enforceRateLimit } from "./rate-limit.server";
import { accessRefusedPath } from "./refusal";
import { DEFAULT_RETURN_TO, safeReturnTo } from "./return-to";
import { requireSameSitePost } from "./same-site.server";
import { beginSession, loginPath } from "./session.server";

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
  // remix-auth copies the request it is given, body included, and the body has been read:
  // the strategy only needs the URL and the cookie, so it gets them without the body.
  const bodiless = new Request(request.url, { method: request.method, headers: request.headers });
  await getAuthenticator().authenticate("discord", bodiless, {
    context: { start: true, returnTo: form.get("returnTo") },
  });
  throw new Error("the login did not redirect to Discord"); // authenticate() always throws above
}

/**
 * Discord's answer (the callback): on success a new session and its cookie, then on to
 * where the login was started for; on any failure the login page, saying what happened.
 * The one place a GET changes state: OAuth 2.0 leaves no other way.
 */
export async function finishLogin(request: Request): Promise<Response> {
  const inFlight = (await readCookie(request, "login")) as Partial<LoginInFlight> | null;
  // A callback this browser did not start a login for is junk (or a stale link): counted
  // apart, it cannot use up the allowance of the real ones.
  await enforceRateLimit(request, inFlight ? "login-callback" : "stray-callback");
  const returnTo = safeReturnTo(inFlight?.returnTo);
  try {
    const user = await getAuthenticator().authenticate("discord", request);
    const headers = await beginSession(request, user);
    headers.append("Set-Cookie", await clearCookie("login"));
    return redirect(returnTo, { headers });
  } catch (thrown) {
    if (thrown instanceof Response) throw thrown; // the database's 503
    if (thrown instanceof AccessRefusedError) {
      // Not a failure to retry: the page says which server (and roles) it takes, and what
      // is kept from earlier visits, if anything, for this browser to have deleted.
      log.info("login refused by the access rules", { request_id: requestId(request), reason: thrown.reason });
      const headers = new Headers({ "Set-Cookie": await clearCookie("login") });
      const kept = await rememberRefusedAccount(thrown.discordId);
      if (kept) headers.append("Set-Cookie", kept);
      return redirect(accessRefusedPath(thrown.reason), { headers });
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
    const retry = loginPath(returnTo === DEFAULT_RETURN_TO ? undefined : returnTo);
    const notice = {
      kind: error.failure.reason === "denied" ? "info" : "error",
      message: loginFailureMessage(error.failure),
    } as const;
    return redirectWithNotice(retry, notice, { headers });
  }
}
