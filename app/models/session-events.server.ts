import { sql } from "kysely";
import type { Config } from "~/config.server";
import type { DB } from "~/db/db.server";
import { PostgresListener } from "~/db/listener.server";
import { SessionCache } from "./session-cache.server";

/** Where the database announces session changes (migrations/0006_session_change_notifications.ts). */
const CHANNEL = "session_changes";

/**
 * This process's cache of active sessions. Unused until startSessionEvents() has proven
 * that the database's notifications reach it (tests and scripts that never start it
 * always read the database).
 */
export const activeSessions = new SessionCache({ maxSessions: 0, maxBytes: 0 });

let listener: PostgresListener | undefined;

/** Starts listening for session changes, and lets the cache serve once they are proven to arrive. */
export function startSessionEvents(config: Config, db: DB): void {
  activeSessions.setLimits({
    maxSessions: config.caches.maxSessions,
    maxBytes: config.caches.maxSessionMb * 1024 * 1024,
  });
  if (listener || config.caches.maxSessions === 0) return;
  listener = new PostgresListener(
    {
      connectionString: config.databaseListenUrl,
      channel: CHANNEL,
      ping: async (payload) => {
        await sql`select pg_notify(${CHANNEL}, ${payload})`.execute(db);
      },
    },
    {
      onMessage(payload) {
        if (payload.startsWith("s:")) activeSessions.sessionEnded(payload.slice(2));
        else if (payload.startsWith("u:")) activeSessions.userChanged(payload.slice(2));
      },
      onUp: () => activeSessions.setUsable(true),
      onDown: () => activeSessions.setUsable(false),
    },
  );
  listener.start();
}

export async function stopSessionEvents(): Promise<void> {
  await listener?.stop();
  listener = undefined;
  activeSessions.setUsable(false);
}
