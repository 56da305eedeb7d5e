import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getActiveSession, takeNotice } from "~/auth/session.server";
import { LoginForm } from "~/components/login-form";
import { Notice } from "~/components/notice";
import { getConfig } from "~/config.server";
import { toPublicProfile } from "~/models/profile.server";
import { SITE_NAME } from "~/site";

export const meta: MetaFunction = () => [
  { title: SITE_NAME },
  {
    name: "description",
    content: "Log in with Discord: server-rendered sessions, encrypted tokens, no JavaScript needed.",
  },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const active = await getActiveSession(request);
  const { notice, headers } = await takeNotice(request, active);
  const viewer = active ? toPublicProfile(active.user, getConfig().discord.cdnUrl) : null;
  return data({ viewer, notice }, { headers });
}

export default function Index() {
  const { viewer, notice } = useLoaderData<typeof loader>();
  return (
    <section className="hero">
      <Notice notice={notice} />
      <h1>{SITE_NAME}</h1>
      <p className="lead">
        Sign in with your Discord account to see your profile, your servers and where you are signed in.
      </p>
      {viewer ? (
        <Link to="/dashboard" className="button discord">
          Continue as {viewer.displayName}
        </Link>
      ) : (
        <LoginForm />
      )}
      <ul className="features">
        <li>
          <strong>Rendered on the server.</strong> Every page works with JavaScript turned off.
        </li>
        <li>
          <strong>Your tokens stay here.</strong> Discord tokens are encrypted at rest and never sent to your browser.
        </li>
        <li>
          <strong>You stay in control.</strong> Log out, end other sessions, or revoke access at any time.
        </li>
      </ul>
    </section>
  );
}
