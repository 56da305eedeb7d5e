import { type BenchContext, type CaseOutcome, percent, ratioAtLeast } from "../context";
import { hammer, sideBySide } from "../http-load";

/**
 * GET /api/auth/user signed in, against GET /api/auth/example: the same JSON from a
 * resource route with no session to check. Target: at least 80%.
 */
export async function userApi(context: BenchContext): Promise<CaseOutcome> {
  const { plan, instances } = context;
  const app = instances[0];
  const { cookie } = await context.newUser("api");
  const base = { connections: plan.connections, seconds: plan.seconds, pids: [app.pid] };
  const [constant, user] = await sideBySide(
    { ...base, url: `${app.url}/api/auth/example` },
    { ...base, url: `${app.url}/api/auth/user`, headers: { Cookie: cookie } },
  );
  const sizes = await Promise.all([
    fetch(`${app.url}/api/auth/example`).then((response) => response.text()),
    fetch(`${app.url}/api/auth/user`, { headers: { Cookie: cookie } }).then((response) => response.text()),
  ]);
  // For reference: one bare round trip to Postgres, the least any session check costs.
  const roundTrip = await hammer({ ...base, url: `${app.url}/healthz` });
  const ratio = user.requestsPerSecond / constant.requestsPerSecond;
  return {
    rows: [
      { case: "User API", variant: `/api/auth/example (constant, ${sizes[0].length} B)`, load: constant },
      { case: "User API", variant: `/api/auth/user (signed in, ${sizes[1].length} B)`, load: user },
      { case: "User API", variant: "reference: /healthz (one `select 1`)", load: roundTrip },
    ],
    findings: [
      ratioAtLeast(plan, "User API: signed-in vs constant JSON throughput", ratio, 0.8),
      {
        name: "User API: a bare database round trip vs constant JSON (the floor)",
        value: percent(roundTrip.requestsPerSecond / constant.requestsPerSecond),
        target: "(reference)",
        passed: null,
      },
    ],
  };
}
