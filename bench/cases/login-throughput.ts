import { logInOverHttp } from "../../tests/support/app-instances";
import { type BenchContext, type CaseOutcome, judged } from "../context";
import { hammer } from "../http-load";
import { cpuMs, peakRssWhile } from "../process-stats";

/**
 * Complete logins per second, many clients at once: the app's login start, Discord's
 * consent page (the emulator), the callback, the dashboard. The app's CPU time per login
 * is read from /proc; target: at most 5 ms on top of the emulator (which runs elsewhere).
 */
export async function loginThroughput(context: BenchContext): Promise<CaseOutcome> {
  const { plan, instances, emulator } = context;
  const app = instances[0];
  const accounts = await Promise.all(
    Array.from({ length: plan.loginClients }, async (_, index) => (await context.newUser(`logins.${index}`)).accountId),
  );
  const latencies: number[] = [];
  const cpuBefore = cpuMs(app.pid);
  const started = performance.now();
  const deadline = Date.now() + plan.loginSeconds * 1000;
  const { peakRssMb } = await peakRssWhile([app.pid], () =>
    Promise.all(
      accounts.map(async (accountId) => {
        while (Date.now() < deadline) {
          const begun = performance.now();
          const { cookie } = await logInOverHttp(app.url, emulator, accountId);
          const dashboard = await fetch(`${app.url}/dashboard`, { headers: { Cookie: cookie } });
          await dashboard.arrayBuffer();
          if (dashboard.status !== 200) throw new Error(`dashboard after login answered ${dashboard.status}`);
          latencies.push(performance.now() - begun);
        }
      }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpuPerLogin = (cpuMs(app.pid) - cpuBefore) / latencies.length;
  // A yardstick from the same run: what one anonymous page view costs the app (a login is
  // three of the app's requests: start, callback, dashboard).
  const cpuBeforePages = cpuMs(app.pid);
  const pages = await hammer({
    url: `${app.url}/`,
    connections: plan.connections,
    seconds: plan.seconds,
    pids: [app.pid],
  });
  const cpuPerPage = (cpuMs(app.pid) - cpuBeforePages) / pages.requests;
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
  return {
    rows: [
      {
        case: "Login throughput",
        variant: `complete logins, ${plan.loginClients} clients`,
        load: {
          requests: latencies.length,
          requestsPerSecond: latencies.length / seconds,
          p50Ms: at(50),
          p99Ms: at(99),
          peakRssMb,
        },
      },
    ],
    findings: [
      {
        name: "Login throughput: complete logins per second",
        value: (latencies.length / seconds).toFixed(1),
        target: "(reported)",
        passed: null,
      },
      {
        name: "Login throughput: app CPU per login",
        value: `${cpuPerLogin.toFixed(2)} ms`,
        target: "≤ 5 ms",
        passed: judged(plan, cpuPerLogin <= 5),
      },
      {
        name: "Login throughput: app CPU per anonymous page view (yardstick)",
        value: `${cpuPerPage.toFixed(2)} ms`,
        target: "(reference)",
        passed: null,
      },
    ],
  };
}
