import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { LoginForm } from "~/components/login-form";
import { useViewer } from "~/components/viewer";
import { SITE_NAME } from "~/site";

export const meta: MetaFunction = () => [
  { title: SITE_NAME },
  {
    name: "description",
    content: "Log in with Discord: server-rendered sessions, encrypted tokens, no JavaScript needed.",
  },
];

export default function Index() {
  const viewer = useViewer();
  return (
    <section className="hero">
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
