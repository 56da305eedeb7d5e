import { sql } from "kysely";
import { createDatabase, type DB } from "~/db/db.server";
import { createTestDatabase, type TestDatabase } from "../../tests/support/test-database";
import { type BenchContext, type CaseOutcome, judged, percent } from "../context";
import { sideBySide } from "../http-load";

/**
 * A protected page's median latency with few users and sessions against the same with a
 * million of each (seeded in bulk with SQL). Target: within 10%: the session check is one
 * lookup by primary key, whatever the table's size.
 *
 * Each size gets a database and an app instance of its own, holding the same signed-in
 * user, so the two can be measured alternately (small, large, small, large) and drift in
 * the machine hits both alike; one database grown in place could only be measured before
 * and after.
 */
export async function scale(context: BenchContext): Promise<CaseOutcome> {
  const { plan } = context;
  const [small, large] = plan.scaleUsers;
  const { accountId, cookie } = await context.newUser("scale");
  const databases: TestDatabase[] = [];
  try {
    for (const total of [small, large]) {
      context.say(`scale: seeding ${total.toLocaleString("en")} users and sessions in a database of their own…`);
      const database = await createTestDatabase();
      databases.push(database);
      await seedCopyOf(context.db, accountId, database.url, total);
    }
    context.say(
      `scale: measuring both sizes alternately, ${plan.scaleRounds} round${plan.scaleRounds === 1 ? "" : "s"} after a warm-up…`,
    );
    const [few, many] = await Promise.all(databases.map((database) => context.startInstance(database.url)));
    const load = (app: { url: string; pid: number }) => ({
      url: `${app.url}/dashboard`,
      headers: { Cookie: cookie },
      connections: plan.connections,
      seconds: plan.seconds,
      pids: [app.pid],
    });
    await sideBySide(load(few!), load(many!), 1); // warm-up: JIT, and each table's pages into memory
    const [fewResult, manyResult] = await sideBySide(load(few!), load(many!), plan.scaleRounds);
    await Promise.all([few!.stop(), many!.stop()]);
    const ratio = manyResult.p50Ms / fewResult.p50Ms;
    return {
      rows: [
        { case: "Scale", variant: `/dashboard, ${small.toLocaleString("en")} users and sessions`, load: fewResult },
        { case: "Scale", variant: `/dashboard, ${large.toLocaleString("en")} users and sessions`, load: manyResult },
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
  } finally {
    await Promise.all(databases.map((database) => database.destroy()));
  }
}

/**
 * Fills the database at `url` with `total` users, each with a live session, plus a copy of
 * the benchmark's own user and session (same ids, so the same cookie signs in on both).
 */
async function seedCopyOf(source: DB, accountId: string, url: string, total: number): Promise<void> {
  // A million rows take a while: this connection may wait minutes, the app's 15 s.
  const target = createDatabase(url, { maxConnections: 1, queryTimeoutMs: 300_000 });
  try {
    const user = await source
      .selectFrom("users")
      .selectAll()
      .where("discord_id", "=", accountId)
      .executeTakeFirstOrThrow();
    const sessions = await source.selectFrom("sessions").selectAll().where("user_id", "=", user.id).execute();
    await target.insertInto("users").values(user).execute();
    await target.insertInto("sessions").values(sessions).execute();
    await sql`
      with seeded as (
        insert into users (discord_id, username)
        select '9' || lpad(n::text, 18, '0'), 'seed.' || n from generate_series(1, ${total}::int) as n
        returning id, discord_id
      )
      insert into sessions (id, user_id, expires_at, user_agent)
      select rpad(md5(discord_id), 43, 's'), id, now() + interval '30 days', 'Mozilla/5.0 (seed)' from seeded`.execute(
      target,
    );
    // Settle what a bulk insert leaves behind (vacuum, statistics, dirty pages), so the
    // measurement is not racing the database's own housekeeping.
    await sql`vacuum analyze users`.execute(target);
    await sql`vacuum analyze sessions`.execute(target);
    await sql`checkpoint`.execute(target);
  } finally {
    await target.destroy();
  }
}
