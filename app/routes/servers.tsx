import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { redirectAfterLostGrant, requireUser, takeNotice } from "~/auth/session.server";
import { AccountNav } from "~/components/account-nav";
import { Notice } from "~/components/notice";
import { ServerList } from "~/components/server-list";
import { getConfig } from "~/config.server";
import { getDb } from "~/db/db.server";
import { GrantLostError } from "~/discord/access-token.server";
import { getGuilds, type GuildsResult } from "~/discord/guild-cache.server";
import { fetchAllGuilds } from "~/discord/guilds.server";
import { callAsUser } from "~/discord/user-call.server";
import { grantedScopes } from "~/models/discord-token.server";
import { forgetGrant } from "~/models/grant.server";
import { toPublicProfile } from "~/models/profile.server";
import { toServerViews } from "~/models/server-view.server";
import { SITE_NAME } from "~/site";

export const meta: MetaFunction = () => [{ title: `Your servers · ${SITE_NAME}` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const active = await requireUser(request);
  const { discord } = getConfig();
  const userId = active.user.id;
  const scopes = await grantedScopes(getDb(), userId);
  if (!scopes) {
    // No tokens left (the grant ended while this session lived): end every session too,
    // as a lost grant does everywhere else.
    await forgetGrant(getDb(), userId);
    await redirectAfterLostGrant(request);
  }
  let result: GuildsResult | null = null;
  if (scopes?.includes("guilds")) {
    try {
      result = await getGuilds(userId, () => callAsUser(userId, (accessToken) => fetchAllGuilds(discord, accessToken)));
    } catch (error) {
      if (error instanceof GrantLostError) await redirectAfterLostGrant(request);
      throw error;
    }
  }
  const { notice, headers } = await takeNotice(request, active);
  return data(
    {
      viewer: toPublicProfile(active.user, discord.cdnUrl),
      notice,
      guildsGranted: result !== null,
      servers: result?.guilds ? toServerViews(result.guilds, discord.cdnUrl) : null,
      fetchedAt: result?.fetchedAt?.toISOString() ?? null,
      problem: result?.problem ?? null,
    },
    { headers },
  );
}

const timeFormat = new Intl.DateTimeFormat("en", { timeStyle: "short", timeZone: "UTC" });

export default function Servers() {
  const { notice, guildsGranted, servers, fetchedAt, problem } = useLoaderData<typeof loader>();
  const asOf = fetchedAt ? `as of ${timeFormat.format(new Date(fetchedAt))} UTC` : "";
  return (
    <>
      <AccountNav />
      <Notice notice={notice} />
      <h1>Your servers</h1>
      {!guildsGranted ? (
        <p className="notice info">
          You have not shared your server list with this app. Log out and log in again to be asked for it.
        </p>
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
      {servers ? <ServerList servers={servers} /> : null}
    </>
  );
}
