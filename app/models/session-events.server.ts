import { sql } from "kysely";
import type { Config } from "~/config.server";
import type { DB } from "~/db/db.server";
import { PostgresListener } from "~/db/listener.server";
import { SessionCache } from "./session-cache.server";

/** Where the database announces session changes (migrations/0006 and 0008). */
const CHANNEL = "session_changes";

/**
 * This process's cache of active sessions. Unused until startSessionEvents() has proven
 * that the database's notifications reach it (tests and scripts that never start it
 * always read the database).
 */
export const activeSessions = new SessionCache({ maxSessions: 0, maxBytes: 0, maxAgeMs: 0 });

let listener: PostgresListener | undefined;

/** Starts listening for session changes; the cache serves while they are proven to arrive. */
export function startSessionEvents(config: Config, db: DB): void {
  activeSessions.setLimits({
    maxSessions: config.caches.maxSessions,
    maxBytes: config.caches.maxSessionMb * 1024 * 1024,
    maxAgeMs: config.caches.sessionMaxAgeSeconds * 1000,
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
      onMessage: applySessionChange,
      onProof: (sentAt) => activeSessions.proven(sentAt),
      onListening: () => activeSessions.listeningAgain(),
      onDown: () => activeSessions.notListening(),
    },
  );
  listener.start();
}

/** One message of the channel; one this instance does not understand forgets everything. */
export function applySessionChange(payload: string): void {
  if (payload.startsWith("s:")) activeSessions.sessionEnded(payload.slice(2));
  else if (payload.startsWith("u:")) activeSessions.userChanged(payload.slice(2));
  else activeSessions.flush();
}
