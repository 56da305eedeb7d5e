import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { getAuthenticator } from "~/auth/authenticator.server";
import { readCookie } from "~/auth/cookie.server";
import { endsLoginInFlight, LoginError, loginFailureMessage } from "~/auth/login-error.server";
import { enforceRateLimit } from "~/auth/rate-limit.server";
import { DEFAULT_RETURN_TO, safeReturnTo } from "~/auth/return-to";
import { beginSession, loginPath, writeCookieKeepingSession } from "~/auth/session.server";
import { log, requestId } from "~/utils/logger.server";

// Only forms post here: a refusal (403, 405, 413, 429) is shown as a page, not bare text.
export { ErrorPage as ErrorBoundary, errorHeaders as headers } from "~/components/error-page";

// Discord sends the browser back here with a GET, so this loader is the one place that
// changes state on a GET: OAuth 2.0 leaves no other way.
export async function loader({ request }: LoaderFunctionArgs) {
  await enforceRateLimit(request, "login-callback");
  const cookie = await readCookie(request);
  const returnTo = safeReturnTo(cookie.get("loginReturnTo"));
  try {
    const user = await getAuthenticator().authenticate("discord", request);
    const setCookie = await beginSession(request, user);
    return redirect(returnTo, { headers: { "Set-Cookie": setCookie } });
  } catch (thrown) {
    if (thrown instanceof Response) throw thrown; // a redirect, or the database's 503
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
    if (endsLoginInFlight(error.failure)) {
      cookie.unset("loginState");
      cookie.unset("loginReturnTo");
    }
    cookie.flash("notice", {
      kind: error.failure.reason === "denied" ? "info" : "error",
      message: loginFailureMessage(error.failure),
    });
    const retry = loginPath(returnTo === DEFAULT_RETURN_TO ? undefined : returnTo);
    return redirect(retry, { headers: { "Set-Cookie": await writeCookieKeepingSession(cookie) } });
  }
}
