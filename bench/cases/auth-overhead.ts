import { type BenchContext, type CaseOutcome, ratioAtLeast } from "../context";
import { hammer, sideBySide } from "../http-load";
import { noTableWorkPerPage, tableWorkPerRequest } from "../table-work";

/**
 * What checking the session costs every request: the same page (/) without and with a
 * valid session, and a signed-in page (/dashboard) against anonymous /. Targets:
 * signed-in / at least 85% of anonymous, /dashboard at least 90%, and, once the
 * instance's memory holds the session, no database statement per page.
 */
export async function authOverhead(context: BenchContext): Promise<CaseOutcome> {
  const { plan, instances } = context;
  const app = instances[0];
  const { cookie } = await context.newUser("overhead");
  const base = { connections: plan.connections, seconds: plan.seconds, pids: [app.pid] };
  const home = { ...base, url: `${app.url}/` };
  const [anonymous, signedIn] = await sideBySide(home, { ...home, headers: { Cookie: cookie } });
  const [anonymousAgain, dashboard] = await sideBySide(home, {
    ...base,
    url: `${app.url}/dashboard`,
    headers: { Cookie: cookie },
  });

  const pages = 2_000;
  const tableWork = plan.smoke
    ? null
    : await tableWorkPerRequest(
        context.db,
        () =>
          hammer({
            ...base,
            url: `${app.url}/dashboard`,
            seconds: undefined,
            amount: pages,
            headers: { Cookie: cookie },
          }),
        pages,
      );
  const ratio = signedIn.requestsPerSecond / anonymous.requestsPerSecond;
  const dashboardRatio = dashboard.requestsPerSecond / anonymousAgain.requestsPerSecond;
  return {
    rows: [
      { case: "Auth overhead", variant: "/ without a session", load: anonymous },
      { case: "Auth overhead", variant: "/ with a session", load: signedIn },
      { case: "Auth overhead", variant: "/ without a session (again)", load: anonymousAgain },
      { case: "Auth overhead", variant: "/dashboard, signed in", load: dashboard },
    ],
    findings: [
      ratioAtLeast(plan, "Auth overhead: signed-in / vs anonymous /", ratio, 0.85),
      ratioAtLeast(plan, "Auth overhead: signed-in /dashboard vs anonymous /", dashboardRatio, 0.9),
      noTableWorkPerPage(
        "Auth overhead: table reads and writes per signed-in page, session in memory",
        tableWork,
        pages,
      ),
    ],
  };
}
