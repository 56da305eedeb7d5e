import { sql } from "kysely";
import type { DB } from "~/db/db.server";
import { type BenchContext, type CaseOutcome, judged, percent } from "../context";
import { hammer } from "../http-load";

/**
 * A protected page's median latency with few users and sessions, then with a million of
 * each (seeded in bulk with SQL). Target: within 10%: the session check is one lookup by
 * primary key, whatever the table's size.
 */
export async function scale(context: BenchContext): Promise<CaseOutcome> {
  const { plan, instances } = context;
  const app = instances[0];
  const [small, large] = plan.scaleUsers;
  const { cookie } = await context.newUser("scale");
  const load = () =>
    hammer({
      url: `${app.url}/dashboard`,
      headers: { Cookie: cookie },
      connections: plan.connections,
      seconds: plan.seconds,
      pids: [app.pid],
    });

  await seedUpTo(context.db, small);
  await load(); // warm-up
  const few = await load();
  await seedUpTo(context.db, large);
  await load(); // warm-up again: the new rows' pages into memory, the plans re-made
  const many = await load();
  const ratio = many.p50Ms / few.p50Ms;
  return {
    rows: [
      { case: "Scale", variant: `/dashboard, ${small.toLocaleString("en")} users and sessions`, load: few },
      { case: "Scale", variant: `/dashboard, ${large.toLocaleString("en")} users and sessions`, load: many },
    ],
    findings: [
      {
        name: `Scale: p50 with ${large.toLocaleString("en")} vs ${small.toLocaleString("en")} users`,
        value: percent(ratio),
        target: "≤ 110%",
        passed: judged(plan, ratio <= 1.1),
      },
    ],
  };
}

/** Adds seed users, each with a live session, until there are `total` of them, and settles the tables. */
async function seedUpTo(db: DB, total: number): Promise<void> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from users where username like 'seed.%'`.execute(
    db,
  );
  const from = rows[0]!.n + 1;
  if (from > total) return;
  await sql`
    with seeded as (
      insert into users (discord_id, username)
      select '9' || lpad(n::text, 18, '0'), 'seed.' || n from generate_series(${from}::int, ${total}::int) as n
      returning id, discord_id
    )
    insert into sessions (id, user_id, expires_at, user_agent)
    select rpad(md5(discord_id), 43, 's'), id, now() + interval '30 days', 'Mozilla/5.0 (seed)' from seeded`.execute(
    db,
  );
  // Settle what a bulk insert leaves behind (vacuum, statistics, dirty pages), so the
  // measurement is not racing the database's own housekeeping.
  await sql`vacuum analyze users`.execute(db);
  await sql`vacuum analyze sessions`.execute(db);
  await sql`checkpoint`.execute(db);
}
