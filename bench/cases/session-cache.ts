import { createSession } from "~/models/session.server";
import { upsertUserFromDiscord } from "~/models/user.server";
import { sessionCookieFor } from "../../tests/support/app-instances";
import { type BenchContext, type CaseOutcome, judged } from "../context";
import { hammer } from "../http-load";
import { settledRss } from "../process-stats";
import { seedSessions, unseedSessions } from "../seed";
import { tableWorkPerRequest } from "../table-work";
import { bareIdentity } from "../../tests/support/identities";
import { accepts } from "../../tests/support/session-probes";

/**
 * Active sessions in each instance's memory, told of every ending through Postgres:
 * - propagation: a session ended on one instance, then loaded on the other until refused;
 *   target p99 ≤ 50 ms;
 * - memory: one instance holding many distinct sessions at once; target RSS ≤ 200 MB
 *   with 100,000 (and, to prove they are held, nothing read or written when they are loaded again).
 */
export async function sessionCache(context: BenchContext): Promise<CaseOutcome> {
  const { plan, instances, db, env } = context;
  const [a, b] = instances;

  context.say(`session cache: ${plan.propagationTrials} sessions ended on one instance, watched on the other…`);
  const delays: number[] = [];
  for (let trial = 0; trial < plan.propagationTrials; trial += 1) {
    const user = await upsertUserFromDiscord(
      db,
      bareIdentity(String(700_000_000_000_000_000n + BigInt(trial)), `propagation.${trial}`),
    );
    const { secret } = await createSession(db, user.id, { userAgent: null, ip: null }, 3600_000);
    const cookie = await sessionCookieFor(env, secret);
    if (!(await accepts(b, cookie))) throw new Error("the second instance refused a new session");
    const loggedOut = await fetch(`${a.url}/logout`, {
      method: "POST",
      headers: { Cookie: cookie, Origin: env.APP_URL! },
      redirect: "manual",
    });
    await loggedOut.body?.cancel();
    const ended = performance.now();
    while (await accepts(b, cookie)) {
      if (performance.now() - ended > 5_000) throw new Error("an ended session was still accepted after 5 s");
    }
    delays.push(performance.now() - ended);
  }
  delays.sort((x, y) => x - y);
  const quantile = (q: number) => delays[Math.min(delays.length - 1, Math.floor(q * delays.length))]!;

  const count = plan.cachedSessions;
  context.say(`session cache: ${count.toLocaleString("en")} distinct sessions into one instance's memory…`);
  const cookies = await seedSessions(db, env, count, "cache");
  try {
    const filled = await hammer({
      url: `${a.url}/api/auth/user`,
      cookies,
      connections: plan.connections,
      amount: count,
      pids: [a.pid],
    });
    const rss = await settledRss(a.pid, plan.smoke ? 2_000 : 30_000);
    // The most recent: the cache forgets the least recently used first.
    const sample = cookies.slice(-Math.min(2_000, count));
    const again = plan.smoke
      ? null
      : await tableWorkPerRequest(
          db,
          () =>
            hammer({
              url: `${a.url}/api/auth/user`,
              cookies: sample,
              connections: plan.connections,
              amount: sample.length,
              pids: [a.pid],
            }),
          sample.length,
        );
    return {
      rows: [
        {
          case: "Session cache",
          variant: `/api/auth/user, ${count.toLocaleString("en")} distinct sessions`,
          load: filled,
        },
      ],
      findings: [
        {
          name: `Session cache: an ending on one instance refused by the other, over ${delays.length} endings`,
          value: `p50 ${quantile(0.5).toFixed(1)} ms, p99 ${quantile(0.99).toFixed(1)} ms, max ${quantile(1).toFixed(1)} ms`,
          target: "p99 ≤ 50 ms",
          passed: judged(plan, quantile(0.99) <= 50),
        },
        {
          name: `Session cache: RSS holding ${count.toLocaleString("en")} distinct sessions, settled`,
          value: `${rss.toFixed(0)} MB (${filled.peakRssMb.toFixed(0)} MB at the peak of filling it)`,
          target: "≤ 200 MB",
          passed: judged(plan, rss <= 200),
        },
        {
          name: "Session cache: table reads and writes per request when those sessions are loaded again",
          value: again === null ? "not measured in a smoke run" : again.perRequest.toFixed(3),
          target: "0 (held in memory)",
          passed: again === null ? null : again.perRequest < 0.005,
        },
      ],
    };
  } finally {
    await unseedSessions(db, "cache");
  }
}
