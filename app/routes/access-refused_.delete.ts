import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { deleteKeptProfile } from "~/auth/kept-profile.server";

// Only forms post here: a refusal (403, 405, 413, 429) is shown as a page, not bare text.
export { ErrorPage as ErrorBoundary, errorHeaders as headers } from "~/components/error-page";

/** Nothing to show here; the refusal page is where the form lives. */
export function loader() {
  return redirect("/access-refused");
}

/** POST /access-refused/delete: deletes what is kept of a person whose access ended. */
export const action = ({ request }: ActionFunctionArgs) => deleteKeptProfile(request);
