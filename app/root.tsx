import type { HeadersFunction, LinksFunction } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { EmulatorBanner } from "~/components/emulator-banner";
import { useNonce } from "~/components/nonce";
import { SiteHeader } from "~/components/site-header";
import { getConfig } from "~/config.server";
import stylesheet from "~/styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

/** An error page for a 429 or 503 still tells the client when to come back. */
export const headers: HeadersFunction = ({ errorHeaders }) => {
  const retryAfter = errorHeaders?.get("Retry-After");
  return retryAfter ? { "Retry-After": retryAfter } : new Headers();
};

export async function loader() {
  const { usingEmulator, discord } = getConfig();
  return { emulatorUrl: usingEmulator ? discord.baseUrl : null };
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const nonce = useNonce();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {data?.emulatorUrl ? <EmulatorBanner url={data.emulatorUrl} /> : null}
        <SiteHeader />
        <main className="site-main">{children}</main>
        <footer className="site-footer">Server-rendered Discord login on Remix, Postgres and Kysely.</footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const [title, message] = describeError(useRouteError());
  return (
    <section className="card narrow" role="alert">
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <Link to="/" className="button secondary">
          Go to the home page
        </Link>
      </p>
    </section>
  );
}

function describeError(error: unknown): [title: string, message: string] {
  if (!isRouteErrorResponse(error)) {
    return ["Something went wrong", "An unexpected error stopped this page. Try again in a moment."];
  }
  const said = typeof error.data === "string" && error.data ? error.data : null;
  switch (error.status) {
    case 404:
      return ["Page not found", "There is nothing at this address. Check the link, or start again from the home page."];
    case 429:
      return ["Too many requests", said ?? "Please wait a little and try again."];
    case 503:
      return ["Temporarily unavailable", said ?? "This service cannot answer right now. Please try again in a minute."];
    default:
      return [`${error.status} ${error.statusText}`.trim(), said ?? "The request failed."];
  }
}
