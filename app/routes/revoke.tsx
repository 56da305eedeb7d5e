import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { requireAccountAction } from "~/auth/account-action.server";
import { redirectWithNotice } from "~/auth/notice.server";
import { endSession } from "~/auth/session.server";
import { discordAccess } from "~/discord/discord-access.server";
import { DISCORD_NOT_TOLD, revocationFailureMessage, revokeDiscordAccess } from "~/discord/revocation.server";

// Only forms post here: a refusal (403, 405, 413, 429) is shown as a page, not bare text.
export { ErrorPage as ErrorBoundary, errorHeaders as headers } from "~/components/error-page";

/** Revoking changes state, so only a POST (from the dashboard's form) does it. */
export function loader() {
  return redirect("/dashboard");
}

export async function action({ request }: ActionFunctionArgs) {
  const active = await requireAccountAction(request, { accessRules: "exempt" });
  const outcome = await revokeDiscordAccess(discordAccess(), active.user.id);
  if (!outcome.ok) {
    return redirectWithNotice("/dashboard", { kind: "error", message: revocationFailureMessage(outcome.failure) });
  }
  const done = "You revoked this app's access to your Discord account and were logged out everywhere.";
  return redirectWithNotice(
    "/",
    { kind: "success", message: outcome.toldDiscord ? done : `${done} ${DISCORD_NOT_TOLD}` },
    { headers: await endSession(request, { withdrawn: true }) },
  );
}
