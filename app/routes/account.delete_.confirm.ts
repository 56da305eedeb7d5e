import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { requireAccountAction } from "~/auth/account-action.server";
import { redirectWithNotice } from "~/auth/notice.server";
import { endSession } from "~/auth/session.server";
import { discordAccess } from "~/discord/discord-access.server";
import { DISCORD_NOT_TOLD, revocationFailureMessage, revokeDiscordAccess } from "~/discord/revocation.server";
import { readForm } from "~/utils/read-form.server";

// Only forms post here: a refusal (403, 405, 413, 429) is shown as a page, not bare text.
export { ErrorPage as ErrorBoundary, errorHeaders as headers } from "~/components/error-page";

export function loader() {
  return redirect("/account/delete");
}

/** POST /account/delete/confirm: deletes the account, after the explicit confirmation. */
export async function action({ request }: ActionFunctionArgs) {
  const active = await requireAccountAction(request, { accessRules: "exempt" });
  const form = await readForm(request);
  const backWith = (message: string) => redirectWithNotice("/account/delete", { kind: "error", message });
  if (form.get("confirm") !== "delete") return backWith("Tick the box to confirm that you want your account deleted.");

  const outcome = await revokeDiscordAccess(discordAccess(), active.user.id, { deleteAccount: true });
  if (!outcome.ok) return backWith(revocationFailureMessage(outcome.failure));
  const done = "Your account and everything stored about it have been deleted.";
  return redirectWithNotice(
    "/",
    { kind: "success", message: outcome.toldDiscord ? done : `${done} ${DISCORD_NOT_TOLD}` },
    { headers: await endSession(request, { withdrawn: true }) },
  );
}
