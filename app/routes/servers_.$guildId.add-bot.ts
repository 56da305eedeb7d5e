import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { requireAccountAction } from "~/auth/account-action.server";
import { getConfig } from "~/config.server";
import { startAddingBot } from "~/dashboard/add-bot.server";
import { requireManager } from "~/dashboard/require-manager.server";

// Only forms post here: a refusal (403, 405, 429, 503) is shown as a page, not bare text.
export { ErrorPage as ErrorBoundary, errorHeaders as headers } from "~/components/error-page";

/** Nothing to show here; the servers page is where the button lives. */
export function loader({ params }: LoaderFunctionArgs) {
  return redirect(params.guildId && /^\d{1,20}$/.test(params.guildId) ? `/servers/${params.guildId}` : "/servers");
}

/** POST /servers/:guildId/add-bot: to Discord's screen for adding the bot to a server the person manages. */
export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireAccountAction(request);
  const config = getConfig();
  if (!config.dashboard) throw new Response("The bot dashboard is off on this site.", { status: 404 });
  const guildId = await requireManager(request, user.id, params.guildId);
  return startAddingBot(config, config.dashboard, user.id, guildId);
}
