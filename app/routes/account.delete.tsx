import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { SITE_NAME } from "~/site";

export const meta: MetaFunction = () => [{ title: `Delete your account · ${SITE_NAME}` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireUser(request);
  return { displayName: user.global_name ?? user.username };
}

export default function DeleteAccount() {
  const { displayName } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const pending = navigation.state !== "idle" && navigation.formAction === "/account/delete/confirm";
  return (
    <section className="card narrow">
      <h1>Delete your account</h1>
      <p>This will, for {displayName}:</p>
      <ul>
        <li>revoke this app's access to your Discord account,</li>
        <li>delete your profile and the Discord tokens stored here,</li>
        <li>log you out on every device.</li>
      </ul>
      <p>Your Discord account itself is not affected. You can log in again later as a new user.</p>
      <Form method="post" action="/account/delete/confirm" className="stack">
        <label className="checkbox">
          <input type="checkbox" name="confirm" value="delete" required /> I understand: delete my account
        </label>
        <div className="actions">
          <button type="submit" className="button danger" disabled={pending} aria-busy={pending}>
            {pending ? "Deleting…" : "Delete my account"}
          </button>
          <Link to="/dashboard" className="button secondary">
            Keep my account
          </Link>
        </div>
      </Form>
    </section>
  );
}
