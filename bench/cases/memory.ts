import { type BenchContext, type CaseOutcome, judged, percent } from "../context";
import { hammer } from "../http-load";
import { settledRss } from "../process-stats";

/**
 * The app's memory after many signed-in requests (the user API: cookie, session lookup,
 * JSON), at half-way and at the end. Target: at most 200 MB after 100,000 requests, and no
 * growth from 50,000 to 100,000.
 */
export async function memory(context: BenchContext): Promise<CaseOutcome> {
  const { plan, instances } = context;
  const app = instances[0];
  const { cookie } = await context.newUser("memory");
  const half = plan.memoryRequests / 2;
  const load = () =>
    hammer({
      url: `${app.url}/api/auth/user`,
      headers: { Cookie: cookie },
      connections: plan.connections,
      amount: half,
      pids: [app.pid],
    });
  const first = await load();
  const atHalf = await settledRss(app.pid, 2_000);
  context.say(
    `memory: ${half.toLocaleString("en")} requests done, RSS ${atHalf.toFixed(0)} MB; ${half.toLocaleString("en")} more…`,
  );
  const second = await load();
  const atEnd = await settledRss(app.pid, 2_000);
  const growth = (atEnd - atHalf) / atHalf;
  return {
    rows: [
      { case: "Memory", variant: `/api/auth/user, first ${half.toLocaleString("en")} requests`, load: first },
      { case: "Memory", variant: `/api/auth/user, next ${half.toLocaleString("en")} requests`, load: second },
    ],
    findings: [
      {
        name: `Memory: RSS after ${plan.memoryRequests.toLocaleString("en")} requests`,
        value: `${atEnd.toFixed(0)} MB`,
        target: "≤ 200 MB",
        passed: judged(plan, atEnd <= 200),
      },
      {
        name: `Memory: growth from ${half.toLocaleString("en")} to ${plan.memoryRequests.toLocaleString("en")} requests`,
        value: `${percent(growth)} (${atHalf.toFixed(0)} → ${atEnd.toFixed(0)} MB)`,
        target: "none (≤ 5%)",
        passed: judged(plan, growth <= 0.05),
      },
    ],
  };
}
