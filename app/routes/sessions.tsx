import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireUser, takeNotice } from "~/auth/session.server";
import { describeUserAgent } from "~/auth/user-agent";
import { AccountNav } from "~/components/account-nav";
import { Notice } from "~/components/notice";
import { SessionList } from "~/components/session-list";
import { getConfig } from "~/config.server";
import { getDb } from "~/db/db.server";
import { toPublicProfile } from "~/models/profile.server";
import { listUserSessions } from "~/models/session.server";
import { SITE_NAME } from "~/site";

export const meta: MetaFunction = () => [{ title: `Where you are signed in · ${SITE_NAME}` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const active = await requireUser(request);
  const sessions = await listUserSessions(getDb(), active.user.id);
  const { notice, headers } = await takeNotice(request, active);
  return data(
    {
      viewer: toPublicProfile(active.user, getConfig().discord.cdnUrl),
      notice,
      sessions: sessions.map((session) => ({
        id: session.id,
        device: describeUserAgent(session.user_agent),
        ip: session.ip,
        createdAt: session.created_at.toISOString(),
        lastSeenAt: session.last_seen_at.toISOString(),
        current: session.id === active.session.id,
      })),
    },
    { headers },
  );
}

export default function Sessions() {
  const { notice, sessions } = useLoaderData<typeof loader>();
  return (
    <>
      <AccountNav />
      <Notice notice={notice} />
      <h1>Where you are signed in</h1>
      <p className="muted">Every browser where you logged in with Discord. End any session you do not recognise.</p>
      <SessionList sessions={sessions} />
    </>
  );
}
