import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { requireAccountAction } from "~/auth/account-action.server";
import { freshCookie, readCookie, writeCookie } from "~/auth/cookie.server";
import { DISCORD_NOT_TOLD, revocationFailureMessage, revokeDiscordAccess } from "~/auth/revocation.server";
import { writeCookieKeepingSession } from "~/auth/session.server";
import { accessTokenContext } from "~/discord/user-call.server";

// Only forms post here: a refusal (403, 405, 413, 429) is shown as a page, not bare text.
export { ErrorPage as ErrorBoundary, errorHeaders as headers } from "~/components/error-page";

/** Revoking changes state, so only a POST (from the dashboard's form) does it. */
export function loader() {
  return redirect("/dashboard");
}

export async function action({ request }: ActionFunctionArgs) {
  const active = await requireAccountAction(request);
  const outcome = await revokeDiscordAccess(accessTokenContext(), active.user.id);
  if (!outcome.ok) {
    const cookie = await readCookie(request);
    cookie.flash("notice", { kind: "error", message: revocationFailureMessage(outcome.failure) });
    return redirect("/dashboard", { headers: { "Set-Cookie": await writeCookieKeepingSession(cookie, active) } });
  }
  const cookie = await freshCookie();
  const done = "You revoked this app's access to your Discord account and were logged out everywhere.";
  cookie.flash("notice", { kind: "success", message: outcome.toldDiscord ? done : `${done} ${DISCORD_NOT_TOLD}` });
  return redirect("/", { headers: { "Set-Cookie": await writeCookie(cookie) } });
}
