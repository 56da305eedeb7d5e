import { control } from "../../emulator/testing/harness";
import { type BenchContext, type CaseOutcome, judged } from "../context";
import { hammer } from "../http-load";
import { settledRss } from "../process-stats";
import { seedGrants } from "../seed";

/** The emulator takes at most this many members per server it creates. */
const MEMBERS_PER_REQUEST = 1_000;

/**
 * Server lists of a bot dashboard's people: many people, each in hundreds of servers,
 * every one loading /servers once. The guild cache is bounded by bytes
 * (GUILD_CACHE_MAX_MB), so memory stays flat whatever the lists add up to. Target: no
 * failure, RSS ≤ 200 MB.
 */
export async function guildCache(context: BenchContext): Promise<CaseOutcome> {
  const { plan, instances, db, env, emulator } = context;
  const app = instances[0];
  const people = plan.guildUsers;
  const servers = plan.guildsPerUser;
  context.say(`guild cache: ${people.toLocaleString("en")} people in ${servers} servers each, on the emulator…`);
  const accountIds: string[] = [];
  for (let index = 0; index < people; index += 1) {
    const { body } = await control(emulator, "POST", "/accounts", { username: `hopper.${index}` });
    accountIds.push(body.id);
  }
  for (let first = 0; first < people; first += MEMBERS_PER_REQUEST) {
    const members = accountIds.slice(first, first + MEMBERS_PER_REQUEST).map((id) => ({ account_id: id }));
    for (let server = 0; server < servers; server += 1) {
      const made = await control(emulator, "POST", "/guilds", {
        name: `Dashboard server ${first / MEMBERS_PER_REQUEST}.${server}`,
        icon: server % 3 === 0,
        members,
      });
      if (made.status !== 201) throw new Error(`the emulator refused a server: ${JSON.stringify(made.body)}`);
    }
  }
  context.say(`guild cache: granting and signing in ${people.toLocaleString("en")} people…`);
  const cookies = await seedGrants(db, env, emulator, accountIds);
  context.say(`guild cache: each loads /servers once…`);
  const load = await hammer({
    url: `${app.url}/servers`,
    cookies,
    connections: plan.connections,
    amount: people,
    pids: [app.pid],
  });
  const rss = await settledRss(app.pid, plan.smoke ? 2_000 : 30_000);
  return {
    rows: [
      { case: "Guild cache", variant: `/servers, ${people.toLocaleString("en")} people × ${servers} servers`, load },
    ],
    findings: [
      {
        name: `Guild cache: RSS after ${people.toLocaleString("en")} people × ${servers} servers`,
        value: `${rss.toFixed(0)} MB settled, ${load.peakRssMb.toFixed(0)} MB at the peak`,
        target: "≤ 200 MB, no failure",
        passed: judged(plan, Math.max(rss, load.peakRssMb) <= 200),
      },
    ],
  };
}
