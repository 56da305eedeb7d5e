import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { accessRulesSummary } from "~/access/rules-view.server";
import { safeReturnTo } from "~/auth/return-to";
import { getActiveSession } from "~/auth/session.server";
import { LoginForm } from "~/components/login-form";
import { getConfig } from "~/config.server";
import { SITE_NAME } from "~/site";

export const meta: MetaFunction = () => [{ title: `Log in · ${SITE_NAME}` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const requested = new URL(request.url).searchParams.get("returnTo");
  const returnTo = requested === null ? undefined : safeReturnTo(requested);
  if (await getActiveSession(request)) throw redirect(returnTo ?? safeReturnTo(undefined));
  const { access } = getConfig();
  return { returnTo, membersOnly: access ? accessRulesSummary(access) : null };
}

export default function Login() {
  const { returnTo, membersOnly } = useLoaderData<typeof loader>();
  return (
    <section className="card narrow login-card">
      <h1>Log in</h1>
      <p>
        {SITE_NAME} uses your Discord account. Discord will ask you to allow access to your username, avatar, email
        address and list of servers.
      </p>
      {membersOnly ? (
        <p>
          Only <strong>{membersOnly}</strong> can sign in; Discord tells {SITE_NAME} whether you are one.
        </p>
      ) : null}
      <LoginForm returnTo={returnTo} />
    </section>
  );
}
