import { type BenchContext, type CaseOutcome, type Finding, percent, ratioAtLeast } from "../context";
import { sideBySide } from "../http-load";
import { wrkInstalled, wrkSideBySide } from "../wrk";

/**
 * The app against the stack's own ceiling (bench/baseline: a minimal Remix app, built
 * and served the same way): its anonymous home page against the baseline's page, and its
 * signed-in user API against the baseline's constant JSON. Targets: 70% and 80%. Where
 * wrk is installed, the same two ratios are measured with it too (16 connections, one
 * thread), and reported beside autocannon's.
 */
export async function stackCeiling(context: BenchContext): Promise<CaseOutcome> {
  const { plan, instances, baseline } = context;
  const app = instances[0];
  const { cookie } = await context.newUser("ceiling");
  const base = { connections: plan.connections, seconds: plan.seconds };
  const [baselinePage, home] = await sideBySide(
    { ...base, url: `${baseline.url}/`, pids: [baseline.pid] },
    { ...base, url: `${app.url}/`, pids: [app.pid] },
  );
  const [baselineJson, userApi] = await sideBySide(
    { ...base, url: `${baseline.url}/api/constant`, pids: [baseline.pid] },
    { ...base, url: `${app.url}/api/auth/user`, headers: { Cookie: cookie }, pids: [app.pid] },
  );
  const pageRatio = home.requestsPerSecond / baselinePage.requestsPerSecond;
  const jsonRatio = userApi.requestsPerSecond / baselineJson.requestsPerSecond;
  const checkedWithWrk: Finding[] = [];
  if (wrkInstalled()) {
    const wrk = { connections: 16, seconds: plan.seconds };
    const [wrkBaselinePage, wrkHome] = await wrkSideBySide(
      { ...wrk, url: `${baseline.url}/` },
      { ...wrk, url: `${app.url}/` },
    );
    const [wrkBaselineJson, wrkUserApi] = await wrkSideBySide(
      { ...wrk, url: `${baseline.url}/api/constant` },
      { ...wrk, url: `${app.url}/api/auth/user`, headers: { Cookie: cookie } },
    );
    const reported = (name: string, app: number, base: number): Finding => ({
      name,
      value: `${percent(app / base)} (${app.toFixed(0)} against ${base.toFixed(0)} req/s)`,
      target: "(checks the figure above)",
      passed: null,
    });
    checkedWithWrk.push(
      reported("Stack ceiling, measured with wrk: anonymous / vs the baseline page", wrkHome, wrkBaselinePage),
      reported(
        "Stack ceiling, measured with wrk: signed-in /api/auth/user vs the baseline's constant JSON",
        wrkUserApi,
        wrkBaselineJson,
      ),
    );
  }
  return {
    rows: [
      { case: "Stack ceiling", variant: "baseline: a minimal Remix page", load: baselinePage },
      { case: "Stack ceiling", variant: "/ without a session", load: home },
      { case: "Stack ceiling", variant: "baseline: constant JSON route", load: baselineJson },
      { case: "Stack ceiling", variant: "/api/auth/user, signed in", load: userApi },
    ],
    findings: [
      ratioAtLeast(plan, "Stack ceiling: anonymous / vs the baseline page", pageRatio, 0.7),
      ratioAtLeast(plan, "Stack ceiling: signed-in /api/auth/user vs the baseline's constant JSON", jsonRatio, 0.8),
      ...checkedWithWrk,
    ],
  };
}
