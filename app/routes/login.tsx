import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { accessRulesSummary } from "~/access/rules-view.server";
import { safeReturnTo } from "~/auth/return-to";
import { loginScopes } from "~/auth/more-access.server";
import { getActiveSession } from "~/auth/session.server";
import { describeScopes } from "~/auth/scope-words";
import { joinServerName } from "~/community/join.server";
import { LoginForm } from "~/components/login-form";
import { PostButton } from "~/components/post-button";
import { getConfig } from "~/config.server";
import { SITE_NAME } from "~/site";

export const meta: MetaFunction = () => [{ title: `Log in · ${SITE_NAME}` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const requested = new URL(request.url).searchParams.get("returnTo");
  const returnTo = requested === null ? undefined : safeReturnTo(requested);
  if (await getActiveSession(request)) throw redirect(returnTo ?? safeReturnTo(undefined));
  const { access, join } = getConfig();
  return {
    returnTo,
    joins: join?.when === "first_sign_in" ? joinServerName(join) : null,
    // With what this browser's person shared before: the login asks for that again.
    asks: describeScopes(await loginScopes(request)),
    membersOnly: access ? accessRulesSummary(access) : null,
  };
}

export default function Login() {
  const { returnTo, asks, membersOnly, joins } = useLoaderData<typeof loader>();
  return (
    <section className="card narrow login-card">
      <h1>Log in</h1>
      <p>
        {SITE_NAME} uses your Discord account. Discord will ask you to allow access to {asks}; once you have, it does
        not ask again.
      </p>
      {membersOnly ? (
        <p>
          Only <strong>{membersOnly}</strong> can sign in; Discord tells {SITE_NAME} whether you are one.
        </p>
      ) : null}
      {joins ? (
        <p>
          The first time you log in, {SITE_NAME} also adds you to <strong>{joins}</strong> on Discord.
        </p>
      ) : null}
      <LoginForm returnTo={returnTo} />
      <details className="another-account">
        <summary>Use another Discord account</summary>
        <p>
          Discord logs you in with the account this browser is logged in to on Discord, without a word if you allowed{" "}
          {SITE_NAME} before. To use another account, log out of Discord in this browser first (or use a private
          window), then log in here with Discord&apos;s screen shown, to see which account it uses.
        </p>
        <PostButton
          action="/auth/discord"
          className="button secondary"
          pendingLabel="Opening Discord…"
          fields={{ returnTo, account: "another" }}
        >
          Log in, showing Discord&apos;s screen
        </PostButton>
      </details>
    </section>
  );
}
