import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { requireAccountAction } from "~/auth/account-action.server";
import { readCookie } from "~/auth/cookie.server";
import { endSession, writeCookieKeepingSession } from "~/auth/session.server";
import { getDb } from "~/db/db.server";
import { deleteOtherSessions, deleteUserSession } from "~/models/session.server";
import { readForm } from "~/utils/read-form.server";

// Only forms post here: a refusal (403, 405, 413, 429) is shown as a page, not bare text.
export { ErrorPage as ErrorBoundary, errorHeaders as headers } from "~/components/error-page";

/** Nothing to show here; the sessions page is where these forms live. */
export function loader() {
  return redirect("/sessions");
}

/** POST /sessions/end: ends one of your sessions (intent=end, sessionId) or all others (intent=end-others). */
export async function action({ request }: ActionFunctionArgs) {
  const active = await requireAccountAction(request);
  const form = await readForm(request);
  const intent = form.get("intent");
  const sessionId = form.get("sessionId");
  let message: string;
  if (intent === "end-others") {
    const ended = await deleteOtherSessions(getDb(), active.user.id, active.session.id);
    message =
      ended === 0
        ? "There were no other sessions to end."
        : `Ended ${ended} other ${ended === 1 ? "session" : "sessions"}.`;
  } else if (intent === "end" && sessionId) {
    if (sessionId === active.session.id) {
      const setCookie = await endSession(request, { kind: "success", message: "You have logged out." });
      return redirect("/", { headers: { "Set-Cookie": setCookie } });
    }
    const ended = await deleteUserSession(getDb(), active.user.id, sessionId);
    message = ended ? "Session ended." : "That session had already ended.";
  } else {
    throw new Response("This is not a request the sessions page sends.", { status: 400, statusText: "Bad Request" });
  }
  const cookie = await readCookie(request);
  cookie.flash("notice", { kind: "success", message });
  return redirect("/sessions", { headers: { "Set-Cookie": await writeCookieKeepingSession(cookie, active) } });
}
