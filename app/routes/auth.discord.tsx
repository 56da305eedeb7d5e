import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { getAuthenticator } from "~/auth/authenticator.server";
import { getActiveSession, remainingSeconds } from "~/auth/session.server";
import { enforceRateLimit } from "~/auth/rate-limit.server";
import { requireStateChange } from "~/auth/state-change.server";
import { readForm } from "~/utils/read-form.server";

/** Logging in changes state, so it is only ever a POST; a GET goes to the login page. */
export function loader() {
  return redirect("/login");
}

export async function action({ request }: ActionFunctionArgs) {
  requireStateChange(request);
  await enforceRateLimit(request, "login-start");
  // Read from a copy: remix-auth hands the request on. A body that is not a form is
  // simply a login without a returnTo.
  const form = await readForm(request.clone());
  const active = await getActiveSession(request);
  // Throws the redirect to Discord's consent page.
  return getAuthenticator().authenticate("discord", request, {
    context: {
      start: true,
      returnTo: form.get("returnTo"),
      cookieMaxAge: active ? remainingSeconds(active) : undefined,
    },
  });
}
