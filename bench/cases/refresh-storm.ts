import { counters, login as emulatorLogin, tokenRequest } from "../../emulator/testing/harness";
import { type BenchContext, type CaseOutcome, judged } from "../context";
import { peakRssWhile } from "../process-stats";

/**
 * Many concurrent page loads across both instances for a user whose access token has
 * just expired, against the same for a user whose token is fine. Target: exactly one
 * refresh reaches Discord, and the storm's p99 is at most one refresh round trip plus
 * 50 ms above the normal p99.
 */
export async function refreshStorm(context: BenchContext): Promise<CaseOutcome> {
  const { plan, instances, emulator } = context;
  const pids = instances.map((instance) => instance.pid);
  const roundTrip = await refreshRoundTripMs(context);

  const normalUser = await context.newUser("storm.normal");
  const normal = await peakRssWhile(pids, () => burst(context, normalUser.cookie));

  const stormUser = await context.newUser("storm.expired");
  await context.db
    .updateTable("discord_tokens")
    .set({ access_token_expires_at: new Date(Date.now() - 1000) })
    .where(
      "user_id",
      "=",
      (
        await context.db
          .selectFrom("users")
          .select("id")
          .where("discord_id", "=", stormUser.accountId)
          .executeTakeFirstOrThrow()
      ).id,
    )
    .execute();
  const before = await counters(emulator);
  const storm = await peakRssWhile(pids, () => burst(context, stormUser.cookie));
  const after = await counters(emulator);
  const refreshes = after.refreshes - before.refreshes;
  const reuses = after.rejected_refresh_reuses - before.rejected_refresh_reuses;
  const allowed = normal.result.p99Ms + roundTrip + 50;
  return {
    rows: [
      {
        case: "Refresh storm",
        variant: `${plan.stormRequests} loads of /servers, valid token`,
        load: { ...normal.result, peakRssMb: normal.peakRssMb },
      },
      {
        case: "Refresh storm",
        variant: `${plan.stormRequests} loads of /servers, token just expired`,
        load: { ...storm.result, peakRssMb: storm.peakRssMb },
      },
    ],
    findings: [
      {
        name: "Refresh storm: refreshes reaching Discord (rejected reuses)",
        value: `${refreshes} (${reuses})`,
        target: "1 (0)",
        passed: refreshes === 1 && reuses === 0,
      },
      {
        name: "Refresh storm: p99 vs normal p99 + refresh round trip + 50 ms",
        value: `${storm.result.p99Ms.toFixed(0)} ms vs ${allowed.toFixed(0)} ms (round trip ${roundTrip.toFixed(0)} ms)`,
        target: "≤",
        passed: judged(plan, storm.result.p99Ms <= allowed),
      },
    ],
  };
}

/** All loads at once, split across the instances; each one's latency. */
async function burst(context: BenchContext, cookie: string) {
  const started = performance.now();
  const latencies = await Promise.all(
    Array.from({ length: context.plan.stormRequests }, async (_, index) => {
      const begun = performance.now();
      const response = await fetch(`${context.instances[index % 2]!.url}/servers`, { headers: { Cookie: cookie } });
      const page = await response.text();
      if (response.status !== 200 || page.includes("not answering"))
        throw new Error(`/servers answered ${response.status}`);
      return performance.now() - begun;
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
  return {
    requests: latencies.length,
    requestsPerSecond: latencies.length / ((performance.now() - started) / 1000),
    p50Ms: at(50),
    p99Ms: at(99),
  };
}

/** The median time Discord (the emulator) takes to answer one refresh, measured directly. */
async function refreshRoundTripMs(context: BenchContext): Promise<number> {
  const { accountId } = await context.newUser("storm.probe");
  let { refresh_token: refreshToken } = await emulatorLogin(context.emulator, accountId);
  const times: number[] = [];
  for (let round = 0; round < 7; round += 1) {
    const begun = performance.now();
    const answer = await tokenRequest(context.emulator, { grant_type: "refresh_token", refresh_token: refreshToken });
    times.push(performance.now() - begun);
    refreshToken = answer.body.refresh_token;
  }
  return times.sort((a, b) => a - b)[3]!;
}
