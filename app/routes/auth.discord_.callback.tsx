import type { LoaderFunctionArgs } from "@remix-run/node";
import { finishLogin } from "~/auth/login.server";

// A refusal (429, say) is shown as a page, not bare text.
export { ErrorPage as ErrorBoundary, errorHeaders as headers } from "~/components/error-page";

/** Discord sends the browser back here with a GET, whatever the outcome. */
export const loader = ({ request }: LoaderFunctionArgs) => finishLogin(request);
