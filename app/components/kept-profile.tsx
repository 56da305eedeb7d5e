import { Form, useNavigation } from "@remix-run/react";
import type { KeptProfile } from "~/auth/kept-profile.server";

const DELETE_ACTION = "/access-refused/delete";
const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "long", timeZone: "UTC" });

/**
 * What is still kept of a person whose access ended, said plainly, with a form to delete
 * it: a plain POST with an explicit confirmation, so it works without JavaScript.
 */
export function KeptProfileSection({ kept, siteName }: { kept: KeptProfile; siteName: string }) {
  const navigation = useNavigation();
  const pending = navigation.state !== "idle" && navigation.formAction === DELETE_ACTION;
  return (
    <section aria-labelledby="kept-heading" className="stack">
      <h2 id="kept-heading">What {siteName} still keeps</h2>
      <p>
        Your sessions and the Discord tokens {siteName} held are gone. From your sign-ins, {siteName} still keeps:
      </p>
      <ul>
        <li>
          your Discord profile as it was: {kept.displayName} (@{kept.username}){kept.email ? `, ${kept.email}` : ""},
          and your avatar
        </li>
        <li>
          when you first signed in ({dateFormat.format(new Date(kept.firstSignedIn))})
          {kept.lastSignedIn ? ` and last signed in (${dateFormat.format(new Date(kept.lastSignedIn))})` : ""}
        </li>
        {kept.membershipChecked ? <li>the outcome of the last check of your server membership</li> : null}
      </ul>
      <Form method="post" action={DELETE_ACTION} className="stack">
        <label className="checkbox">
          <input type="checkbox" name="confirm" value="delete" required /> I understand: delete what is kept
        </label>
        <div className="actions">
          <button type="submit" className="button danger" disabled={pending} aria-busy={pending}>
            {pending ? "Deleting…" : "Delete what is kept"}
          </button>
        </div>
      </Form>
    </section>
  );
}
