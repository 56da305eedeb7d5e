import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { getAuthenticator } from "~/auth/authenticator.server";
import { getActiveSession, remainingSeconds } from "~/auth/session.server";
import { enforceRateLimit } from "~/auth/rate-limit.server";
import { requireStateChange } from "~/auth/state-change.server";
import { readForm } from "~/utils/read-form.server";

// Only forms post here: a refusal (403, 405, 413, 429) is shown as a page, not bare text.
export { ErrorPage as ErrorBoundary, errorHeaders as headers } from "~/components/error-page";

/** Logging in changes state, so it is only ever a POST; a GET goes to the login page. */
export function loader() {
  return redirect("/login");
}

export async function action({ request }: ActionFunctionArgs) {
  requireStateChange(request);
  await enforceRateLimit(request, "login-start");
  // A body that is not a form is simply a login without a returnTo.
  const form = await readForm(request);
  const active = await getActiveSession(request);
  // remix-auth copies the request it is given, body included, and the body has been read:
  // the strategy only needs the URL and the cookie, so it gets them without the body.
  const bodiless = new Request(request.url, { method: request.method, headers: request.headers });
  // Throws the redirect to Discord's consent page.
  return getAuthenticator().authenticate("discord", bodiless, {
    context: {
      start: true,
      returnTo: form.get("returnTo"),
      cookieMaxAge: active ? remainingSeconds(active) : undefined,
    },
  });
}
