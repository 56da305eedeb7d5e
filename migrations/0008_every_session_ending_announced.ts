import { sql, type Kysely } from "kysely";

// 0006 announced the endings the app makes (a session row deleted, a profile changed).
// An operator ends sessions in other ways too: TRUNCATE at an incident ("log everyone
// out"), an UPDATE that moves `expires_at` to now, a user deleted or truncated with their
// sessions. Every one of them is announced here, whoever runs it. Messages on the
// `session_changes` channel:
// - "s:<session id>": that live session ended, or moved (its expiry shortened, its id or
//   user changed);
// - "u:<user id>": the user is gone, or what a page shows of them changed;
// - "*": too much changed to name (a TRUNCATE, or more than 1,000 rows in one statement):
//   every instance forgets every session it holds and reads them again.
// An instance also flushes on a message it does not understand, and reads every cached
// session again after a maximum age, for what no trigger sees (triggers disabled,
// session_replication_role = replica). Expiry is judged here by the database's clock,
// the one clock that decides it (app/models/session.server.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function announce_session_changes(prefix text, ids text[]) returns void language plpgsql as $$
    begin
      if cardinality(ids) > 1000 then
        perform pg_notify('session_changes', '*');
      else
        perform pg_notify('session_changes', prefix || id) from unnest(ids) as id;
      end if;
    end $$`.execute(db);
  await sql`
    create or replace function notify_sessions_ended() returns trigger language plpgsql as $$
    begin
      perform announce_session_changes('s:', array(select id from ended where expires_at > now()));
      return null;
    end $$`.execute(db);
  await sql`
    create function notify_sessions_moved() returns trigger language plpgsql as $$
    begin
      perform announce_session_changes('s:', array(
        select before.id
        from moved_before before left join moved_after after on after.id = before.id
        where before.expires_at > now()
          and (after.id is null or after.user_id <> before.user_id or after.expires_at < before.expires_at)));
      return null;
    end $$`.execute(db);
  await sql`
    create trigger sessions_moved after update on sessions
    referencing old table as moved_before new table as moved_after
    for each statement execute function notify_sessions_moved()`.execute(db);

  await sql`
    create or replace function notify_users_changed() returns trigger language plpgsql as $$
    begin
      perform announce_session_changes('u:', array(
        select before.id::text
        from changed_before before left join changed_after after on after.id = before.id
        where after.id is null
          or (after.discord_id, after.username, after.discriminator, after.global_name, after.avatar_hash, after.email, after.email_verified)
            is distinct from
            (before.discord_id, before.username, before.discriminator, before.global_name, before.avatar_hash, before.email, before.email_verified)));
      return null;
    end $$`.execute(db);
  await sql`
    create function notify_users_deleted() returns trigger language plpgsql as $$
    begin
      perform announce_session_changes('u:', array(select id::text from deleted));
      return null;
    end $$`.execute(db);
  await sql`
    create trigger users_deleted after delete on users
    referencing old table as deleted for each statement execute function notify_users_deleted()`.execute(db);

  await sql`
    create function notify_everything_changed() returns trigger language plpgsql as $$
    begin
      perform pg_notify('session_changes', '*');
      return null;
    end $$`.execute(db);
  for (const table of ["sessions", "users"]) {
    await sql`
      create trigger ${sql.id(`${table}_truncated`)} after truncate on ${sql.table(table)}
      for each statement execute function notify_everything_changed()`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ["sessions", "users"]) {
    await sql`drop trigger ${sql.id(`${table}_truncated`)} on ${sql.table(table)}`.execute(db);
  }
  await sql`drop function notify_everything_changed()`.execute(db);
  await sql`drop trigger users_deleted on users`.execute(db);
  await sql`drop function notify_users_deleted()`.execute(db);
  await sql`drop trigger sessions_moved on sessions`.execute(db);
  await sql`drop function notify_sessions_moved()`.execute(db);
  // 0006's versions.
  await sql`
    create or replace function notify_users_changed() returns trigger language plpgsql as $$
    begin
      perform pg_notify('session_changes', 'u:' || after.id)
      from changed_after after join changed_before before on before.id = after.id
      where (after.username, after.discriminator, after.global_name, after.avatar_hash, after.email, after.email_verified)
        is distinct from
        (before.username, before.discriminator, before.global_name, before.avatar_hash, before.email, before.email_verified);
      return null;
    end $$`.execute(db);
  await sql`
    create or replace function notify_sessions_ended() returns trigger language plpgsql as $$
    begin
      perform pg_notify('session_changes', 's:' || id) from ended where expires_at > now();
      return null;
    end $$`.execute(db);
  await sql`drop function announce_session_changes(text, text[])`.execute(db);
}
