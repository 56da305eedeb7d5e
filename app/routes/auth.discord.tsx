import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { startLogin } from "~/auth/login.server";

// Only forms post here: a refusal (403, 405, 413, 429) is shown as a page, not bare text.
export { ErrorPage as ErrorBoundary, errorHeaders as headers } from "~/components/error-page";

/** Logging in changes state, so it is only ever a POST; a GET goes to the login page. */
export function loader() {
  return redirect("/login");
}

export const action = ({ request }: ActionFunctionArgs) => startLogin(request);
