import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { redirectWithNotice } from "~/auth/notice.server";
import { enforceRateLimit } from "~/auth/rate-limit.server";
import { requireSameSitePost } from "~/auth/same-site.server";
import { endSession, getActiveSession } from "~/auth/session.server";

// Only forms post here: a refusal (403, 405, 413, 429) is shown as a page, not bare text.
export { ErrorPage as ErrorBoundary, errorHeaders as headers } from "~/components/error-page";

/** A GET never logs anyone out: a link or an <img> on another site must not end a session. */
export function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  requireSameSitePost(request);
  await enforceRateLimit(request, "account-action", (await getActiveSession(request))?.user.id);
  const headers = await endSession(request);
  return redirectWithNotice("/", { kind: "success", message: "You have logged out." }, { headers });
}
