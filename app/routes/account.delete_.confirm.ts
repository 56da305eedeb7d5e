import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { requireAccountAction } from "~/auth/account-action.server";
import { freshCookie, readCookie, writeCookie } from "~/auth/cookie.server";
import { DISCORD_NOT_TOLD, revocationFailureMessage, revokeDiscordAccess } from "~/auth/revocation.server";
import { writeCookieKeepingSession } from "~/auth/session.server";
import { accessTokenContext } from "~/discord/user-call.server";
import { readForm } from "~/utils/read-form.server";

// Only forms post here: a refusal (403, 405, 413, 429) is shown as a page, not bare text.
export { ErrorPage as ErrorBoundary, errorHeaders as headers } from "~/components/error-page";

export function loader() {
  return redirect("/account/delete");
}

/** POST /account/delete/confirm: deletes the account, after the explicit confirmation. */
export async function action({ request }: ActionFunctionArgs) {
  const active = await requireAccountAction(request);
  const form = await readForm(request);
  const backWith = async (message: string) => {
    const cookie = await readCookie(request);
    cookie.flash("notice", { kind: "error", message });
    return redirect("/account/delete", { headers: { "Set-Cookie": await writeCookieKeepingSession(cookie, active) } });
  };
  if (form.get("confirm") !== "delete") return backWith("Tick the box to confirm that you want your account deleted.");

  const outcome = await revokeDiscordAccess(accessTokenContext(), active.user.id, { deleteAccount: true });
  if (!outcome.ok) return backWith(revocationFailureMessage(outcome.failure));
  const cookie = await freshCookie();
  const done = "Your account and everything stored about it have been deleted.";
  cookie.flash("notice", { kind: "success", message: outcome.toldDiscord ? done : `${done} ${DISCORD_NOT_TOLD}` });
  return redirect("/", { headers: { "Set-Cookie": await writeCookie(cookie) } });
}
