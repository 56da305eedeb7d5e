import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration } from "@remix-run/react";
import type { ReactNode } from "react";
import { accessRulesSummary } from "~/access/rules-view.server";
import { takeNotice } from "~/auth/notice.server";
import { getActiveSession } from "~/auth/session.server";
import { EmulatorBanner } from "~/components/emulator-banner";
import { ErrorPage, errorHeaders, errorTitle } from "~/components/error-page";
import { useNonce } from "~/components/nonce";
import { Notice } from "~/components/notice";
import { SiteHeader } from "~/components/site-header";
import { useLayoutData, type LayoutData } from "~/components/viewer";
import { getConfig } from "~/config.server";
import { toPublicProfile } from "~/presenters/profile";
import { SITE_NAME } from "~/site";
import stylesheet from "~/styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const headers = errorHeaders;

/** Pages name themselves; an error page is named by what went wrong. */
export const meta: MetaFunction = ({ error }) => [{ title: error ? `${errorTitle(error)} · ${SITE_NAME}` : SITE_NAME }];

/**
 * What every page shows around its content, error pages included: who is signed in, the
 * one-shot notice, the emulator banner. It never fails on its own: while the database is
 * down the header shows nobody signed in, and the page itself says what is wrong.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { notice, headers } = await takeNotice(request);
  const active = await getActiveSession(request).catch((error: unknown) => {
    if (error instanceof Response && error.status === 503) return null;
    throw error;
  });
  const { usingEmulator, discord, access } = getConfig();
  const layout: LayoutData = {
    viewer: active ? toPublicProfile(active.user, discord.cdnUrl) : null,
    notice,
    emulatorUrl: usingEmulator ? discord.baseUrl : null,
    accessSummary: usingEmulator && access ? accessRulesSummary(access) : null,
  };
  return data(layout, { headers });
}

// Who is signed in and the notice can change with any navigation (a redirect to the login
// page, say), not only after a form: the layout is loaded again with every page.
export const shouldRevalidate = () => true;

export function Layout({ children }: { children: ReactNode }) {
  const layout = useLayoutData();
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
        <a href="#main" className="skip-link">
          Skip to content
        </a>
        {layout?.emulatorUrl ? <EmulatorBanner url={layout.emulatorUrl} accessSummary={layout.accessSummary} /> : null}
        <SiteHeader />
        <main id="main" className="site-main">
          <Notice notice={layout?.notice ?? null} />
          {children}
        </main>
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
