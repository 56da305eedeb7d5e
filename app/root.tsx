import type { LinksFunction } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { EmulatorBanner } from "~/components/emulator-banner";
import { ErrorPage, errorHeaders } from "~/components/error-page";
import { useNonce } from "~/components/nonce";
import { SiteHeader } from "~/components/site-header";
import { getConfig } from "~/config.server";
import stylesheet from "~/styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const headers = errorHeaders;

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

export const ErrorBoundary = ErrorPage;
