import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { loginAgainIfGrantLost, requireUser } from "~/auth/session.server";
import { AccountNav } from "~/components/account-nav";
import { AskForAccess } from "~/components/ask-for-access";
import { ServerList } from "~/components/server-list";
import { getConfig } from "~/config.server";
import { dashboardBot } from "~/dashboard/bot.server";
import { botServers } from "~/dashboard/bot-presence.server";
import { loadServers } from "~/discord/servers.server";
import { toServerViews } from "~/presenters/server-view";
import { SITE_NAME } from "~/site";
import { timeAgo } from "~/utils/time-ago";

export const meta: MetaFunction = () => [{ title: `Your servers · ${SITE_NAME}` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireUser(request);
  const { discord, access } = getConfig();
  const result = await loginAgainIfGrantLost(request, () => loadServers(user.id));
  const requiredIds = new Set(access?.guilds.map((guild) => guild.id));
  const bot = dashboardBot();
  // Where the bot is matters only beside the person's own list.
  const botView = bot && result?.guilds ? { servers: await botServers(bot) } : null;
  return {
    guildsGranted: result !== null,
    dashboard: bot !== null,
    servers: result?.guilds ? toServerViews(result.guilds, discord.cdnUrl, requiredIds, botView) : null,
    fetchedAgo: result?.fetchedAt ? timeAgo(result.fetchedAt).ago : null,
    problem: result?.problem ?? null,
  };
}

export default function Servers() {
  const { guildsGranted, dashboard, servers, fetchedAgo, problem } = useLoaderData<typeof loader>();
  const asOf = fetchedAgo ? `as fetched ${fetchedAgo}` : "";
  return (
    <>
      <AccountNav />
      <h1>Your servers</h1>
      {!guildsGranted ? (
        <AskForAccess
          feature="servers"
          returnTo="/servers"
          title="Share your server list"
          action="Share your server list"
        >
          <p>
            This page shows the Discord servers you are in
            {dashboard ? ", and lets you set up the bot in those you manage" : ""}. Discord will ask you to let{" "}
            {SITE_NAME} know what servers you&apos;re in.
          </p>
        </AskForAccess>
      ) : null}
      {problem?.kind === "rate_limited" ? (
        <p className="notice error" role="alert">
          Discord asked this app to slow down. {servers ? `Showing your servers ${asOf}. ` : ""}Try again in{" "}
          {problem.retryAfterSeconds} seconds.
        </p>
      ) : null}
      {problem?.kind === "unavailable" ? (
        <p className="notice error" role="alert">
          Discord is not answering right now.{" "}
          {servers ? `Showing your servers ${asOf}.` : "Your servers cannot be shown; try again in a moment."}
        </p>
      ) : null}
      {problem?.kind === "refused" ? (
        <p className="notice error" role="alert">
          Discord did not give your server list this time.{" "}
          {servers ? `Showing your servers ${asOf}.` : "Try again in a moment, or log out and in again."}
        </p>
      ) : null}
      {!dashboard && servers?.some((server) => server.manages) ? (
        <p className="muted">
          The bot dashboard is off on this site: its operator turns it on with the bot&apos;s token (DISCORD_BOT_TOKEN).
        </p>
      ) : null}
      {servers ? <ServerList servers={servers} dashboard={dashboard} /> : null}
    </>
  );
}
