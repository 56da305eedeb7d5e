import { answersOn, control, createAccount } from "../../emulator/testing/harness";
import { seededGuildId, seededRoleId } from "../../emulator/testing/seeded";
import { logInOverHttp } from "../../tests/support/app-instances";
import { type BenchContext, type CaseOutcome, ratioAtLeast } from "../context";
import { hammer, sideBySide } from "../http-load";
import { noTableWorkPerPage, tableWorkPerRequest } from "../table-work";

const HQ = seededGuildId("Emulator HQ");
const MODERATOR = seededRoleId("Emulator HQ", "Moderator");

/**
 * What keeping "members only" true costs a signed-in page between re-checks: the same
 * person's /dashboard on an instance without access rules and on one that requires a role
 * in Emulator HQ (ACCESS_RECHECK_MINUTES at its default, so the run stays inside one
 * interval). Both instances are started for this case and warmed alike: the deployment's
 * own instances have served every case before, and a process's history (its heap, its
 * compiled code) would weigh more than the rules. Targets: at least 90% of the pages per
 * second, no Discord call and no database statement per page once the instance knows the
 * person's standing.
 */
export async function membersOnly(context: BenchContext): Promise<CaseOutcome> {
  const { plan, emulator, env } = context;
  const open = await context.startInstance(env.DATABASE_URL!);
  const guarded = await context.startInstance(env.DATABASE_URL!, {
    ACCESS_GUILD_IDS: `${HQ}=Emulator HQ`,
    ACCESS_ROLE_IDS: `${MODERATOR}=Moderator`,
  });
  const account = await createAccount(emulator, "member");
  await control(emulator, "PUT", `/guilds/${HQ}/members/${account.id}`, { roles: [MODERATOR] });
  // Started on the guarded instance, so Discord is asked for the scope its rules need, as
  // a proxy in front of the deployment's public origin (the first instance's) would send it.
  const publicUrl = new URL(env.APP_URL!);
  const { cookie } = await logInOverHttp(guarded.url, emulator, account.id, {
    Origin: publicUrl.origin,
    "X-Forwarded-Host": publicUrl.host,
  });
  const headers = { Cookie: cookie };
  // Discord's answer came back to the first instance, which has no rules: the guarded
  // instance's first page makes the check.
  const first = await fetch(`${guarded.url}/dashboard`, { headers });
  if (first.status !== 200 || !(await first.text()).includes("Your membership"))
    throw new Error(`the guarded instance did not admit the member (${first.status})`);

  const base = { connections: plan.connections, seconds: plan.seconds, headers };
  for (const instance of [open, guarded])
    await hammer({
      ...base,
      seconds: Math.max(1, plan.seconds / 2),
      url: `${instance.url}/dashboard`,
      pids: [instance.pid],
    });
  const callsBefore = await answersOn(context.emulator, "guild_member");
  const [withoutRules, withRules] = await sideBySide(
    { ...base, url: `${open.url}/dashboard`, pids: [open.pid] },
    { ...base, url: `${guarded.url}/dashboard`, pids: [guarded.pid] },
  );
  const calls = (await answersOn(context.emulator, "guild_member")) - callsBefore;

  const pages = 2_000;
  const tableWork = plan.smoke
    ? null
    : await tableWorkPerRequest(
        context.db,
        () =>
          hammer({ ...base, seconds: undefined, amount: pages, url: `${guarded.url}/dashboard`, pids: [guarded.pid] }),
        pages,
      );
  await Promise.all([open.stop(), guarded.stop()]);
  const ratio = withRules.requestsPerSecond / withoutRules.requestsPerSecond;
  return {
    rows: [
      { case: "Members only", variant: "/dashboard, no access rules", load: withoutRules },
      { case: "Members only", variant: "/dashboard, a role in a server required", load: withRules },
    ],
    findings: [
      ratioAtLeast(plan, "Members only: /dashboard with rules vs without, between re-checks", ratio, 0.9),
      {
        name: "Members only: Discord calls during those pages",
        value: `${calls} over ${withRules.requests.toLocaleString("en")} pages`,
        target: "0",
        passed: calls === 0,
      },
      noTableWorkPerPage("Members only: table reads and writes per page, standing in memory", tableWork, pages),
    ],
  };
}
