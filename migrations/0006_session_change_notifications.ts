import { sql, type Kysely } from "kysely";

// Every instance keeps the sessions in use in memory (app/models/session-cache.server.ts)
// and must hear of every change to them at once. Triggers tell them, whoever changed the
// rows: the app, a script, an operator at a psql prompt, a cascade. NOTIFY is delivered
// when the transaction commits, and only then.
// - "s:<session id>": a live session ended (expired ones need no word: every instance
//   checks the expiry itself);
// - "u:<user id>": what a page shows of the user changed (a login updated the profile).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function notify_sessions_ended() returns trigger language plpgsql as $$
    begin
      perform pg_notify('session_changes', 's:' || id) from ended where expires_at > now();
      return null;
    end $$`.execute(db);
  await sql`
    create trigger sessions_ended after delete on sessions
    referencing old table as ended for each statement execute function notify_sessions_ended()`.execute(db);
  await sql`
    create function notify_users_changed() returns trigger language plpgsql as $$
    begin
      perform pg_notify('session_changes', 'u:' || after.id)
      from changed_after after join changed_before before on before.id = after.id
      where (after.username, after.discriminator, after.global_name, after.avatar_hash, after.email, after.email_verified)
        is distinct from
        (before.username, before.discriminator, before.global_name, before.avatar_hash, before.email, before.email_verified);
      return null;
    end $$`.execute(db);
  await sql`
    create trigger users_changed after update on users
    referencing old table as changed_before new table as changed_after
    for each statement execute function notify_users_changed()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger users_changed on users`.execute(db);
  await sql`drop function notify_users_changed()`.execute(db);
  await sql`drop trigger sessions_ended on sessions`.execute(db);
  await sql`drop function notify_sessions_ended()`.execute(db);
}
