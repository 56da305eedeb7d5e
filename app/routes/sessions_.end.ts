import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { requireAccountAction } from "~/auth/account-action.server";
import { redirectWithNotice } from "~/auth/notice.server";
import { endSession } from "~/auth/session.server";
import { getDb } from "~/db/db.server";
import { deleteOtherSessions, deleteUserSession, isSessionId } from "~/models/session.server";
import { readForm } from "~/utils/read-form.server";

// Only forms post here: a refusal (403, 405, 413, 429) is shown as a page, not bare text.
export { ErrorPage as ErrorBoundary, errorHeaders as headers } from "~/components/error-page";

/** Nothing to show here; the sessions page is where these forms live. */
export function loader() {
  return redirect("/sessions");
}

/** POST /sessions/end: ends one of your sessions (intent=end, sessionId) or all others (intent=end-others). */
export async function action({ request }: ActionFunctionArgs) {
  const active = await requireAccountAction(request, { accessRules: "exempt" });
  const form = await readForm(request);
  const intent = form.get("intent");
  const sessionId = form.get("sessionId");
  if (intent === "end-others") {
    const ended = await deleteOtherSessions(getDb(), active.user.id, active.session.id);
    const message =
      ended === 0
        ? "There were no other sessions to end."
        : `Ended ${ended} other ${ended === 1 ? "session" : "sessions"}.`;
    return redirectWithNotice("/sessions", { kind: "success", message });
  }
  // The sessions page sends only ids it listed: anything else is not one of its requests.
  if (intent === "end" && isSessionId(sessionId)) {
    if (sessionId === active.session.id) {
      const headers = await endSession(request);
      return redirectWithNotice("/", { kind: "success", message: "You have logged out." }, { headers });
    }
    const ended = await deleteUserSession(getDb(), active.user.id, sessionId);
    const message = ended ? "Session ended." : "That session had already ended.";
    return redirectWithNotice("/sessions", { kind: "success", message });
  }
  throw new Response("This is not a request the sessions page sends.", { status: 400, statusText: "Bad Request" });
}
