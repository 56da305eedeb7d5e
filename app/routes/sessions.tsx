import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { describeUserAgent } from "~/auth/user-agent";
import { AccountNav } from "~/components/account-nav";
import { SessionList } from "~/components/session-list";
import { getDb } from "~/db/db.server";
import { listUserSessions } from "~/models/session.server";
import { timeAgo } from "~/utils/time-ago";
import { SITE_NAME } from "~/site";

export const meta: MetaFunction = () => [{ title: `Where you are signed in · ${SITE_NAME}` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const active = await requireUser(request);
  const sessions = await listUserSessions(getDb(), active.user.id);
  return {
    sessions: sessions.map((session) => ({
      id: session.id,
      device: describeUserAgent(session.user_agent),
      ip: session.ip,
      signedIn: { at: session.created_at.toISOString(), ...timeAgo(session.created_at) },
      lastActive: { at: session.last_seen_at.toISOString(), ...timeAgo(session.last_seen_at) },
      current: session.id === active.session.id,
    })),
  };
}

export default function Sessions() {
  const { sessions } = useLoaderData<typeof loader>();
  return (
    <>
      <AccountNav />
      <h1>Where you are signed in</h1>
      <p className="muted">Every browser where you logged in with Discord. End any session you do not recognise.</p>
      <SessionList sessions={sessions} />
    </>
  );
}
