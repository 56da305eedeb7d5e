import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import { sha256 } from "~/crypto/sha256.server";
import type { DB } from "~/db/db.server";
import type { Session } from "~/db/schema";
import type { ActiveSession, SessionCore } from "./session-cache.server";
import { activeSessions } from "./session-events.server";

export type { ActiveSession } from "./session-cache.server";

/**
 * Server-side sessions. The cookie carries a random 256-bit secret; the table stores only
 * its SHA-256, so reading the table (a backup, a leaked dump) does not let anyone in.
 * One clock decides when a session ends, the database's: every expiry is written and
 * compared with its now(), so instances whose clocks disagree with it, or with each
 * other, still agree on which sessions are live.
 */

const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** A session's id: the SHA-256 of its secret, as base64url (hashSessionSecret). */
const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Whether a value from outside (a form) has the shape of a session id at all. */
export function isSessionId(value: unknown): value is string {
  return typeof value === "string" && SESSION_ID_PATTERN.test(value);
}

export interface NewSession {
  /** Goes into the cookie, never into the database or logs. */
  secret: string;
  session: Session;
}

export interface SessionClient {
  userAgent: string | null;
  ip: string | null;
}

function hashSessionSecret(secret: string): string {
  return sha256(secret);
}

export async function createSession(
  db: DB,
  userId: string,
  client: SessionClient,
  maxAgeMs: number,
): Promise<NewSession> {
  const secret = randomBytes(32).toString("base64url");
  const session = await db
    .insertInto("sessions")
    .values({
      id: hashSessionSecret(secret),
      user_id: userId,
      created_at: sql`now()`,
      last_seen_at: sql`now()`,
      expires_at: sql`now() + ${maxAgeMs} * interval '1 millisecond'`,
      user_agent: client.userAgent?.slice(0, 512) ?? null,
      ip: client.ip?.slice(0, 64) ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { secret, session };
}

/**
 * The live session behind a cookie secret, with its user: from this instance's memory when
 * it is there and can be trusted (app/models/session-events.server.ts), else one indexed
 * query, whose answer is then kept.
 */
export async function findActiveSession(db: DB, secret: unknown): Promise<ActiveSession | null> {
  if (typeof secret !== "string" || !SECRET_PATTERN.test(secret)) return null;
  const id = hashSessionSecret(secret);
  const readAt = performance.now();
  const cached = activeSessions.get(id, readAt);
  if (cached !== undefined) return cached;
  const ticket = activeSessions.ticket();
  const row = await db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .selectAll("users")
    .select([
      "sessions.id as session_id",
      "sessions.created_at as session_created_at",
      "sessions.expires_at as session_expires_at",
      "sessions.last_seen_at as session_last_seen_at",
      // Its remaining life by the database's clock, for the cache to count down on this
      // process's own clock from before the query (so it ends early, never late).
      sql<number>`(extract(epoch from sessions.expires_at - now()) * 1000)::float8`.as("session_ms_left"),
    ])
    .where("sessions.id", "=", id)
    .where("sessions.expires_at", ">", sql<Date>`now()`)
    .executeTakeFirst();
  if (!row) return null;
  const { session_id, session_created_at, session_expires_at, session_last_seen_at, session_ms_left, ...user } = row;
  const active: ActiveSession = {
    session: {
      id: session_id,
      user_id: user.id,
      created_at: session_created_at,
      expires_at: session_expires_at,
      last_seen_at: session_last_seen_at,
    },
    user,
  };
  activeSessions.store(ticket, active, { readAt, endsAt: readAt + session_ms_left });
  return active;
}

/**
 * Coarse enough that a busy user costs one write every few minutes, not one per request;
 * fine enough to tell which of your sessions is in use.
 */
export const LAST_SEEN_RESOLUTION_MS = 5 * 60_000;

/**
 * Records activity on a session, unless it was recorded less than LAST_SEEN_RESOLUTION_MS
 * ago: a page served from memory writes nothing, nor reads.
 */
export async function touchSession(db: DB, session: SessionCore, now = new Date()): Promise<void> {
  if (now.getTime() - session.last_seen_at.getTime() < LAST_SEEN_RESOLUTION_MS) return;
  await db.updateTable("sessions").set({ last_seen_at: now }).where("id", "=", session.id).execute();
  activeSessions.markSeen(session.id, now);
}

/** The user's live sessions, most recently used first. */
export async function listUserSessions(db: DB, userId: string): Promise<Session[]> {
  return db
    .selectFrom("sessions")
    .selectAll()
    .where("user_id", "=", userId)
    .where("expires_at", ">", sql<Date>`now()`)
    .orderBy("last_seen_at", "desc")
    .orderBy("created_at", "desc")
    .execute();
}

// Every deletion of a session row is announced to every instance by the database itself
// (a trigger); the deleting instance also drops it from its own memory at once.

/**
 * Ends one of the user's own sessions; false when no such session belongs to them. A value
 * that is not a session id goes no further: not to the database, nor into the record of
 * changes that every instance's session cache keeps.
 */
export async function deleteUserSession(db: DB, userId: string, sessionId: string): Promise<boolean> {
  if (!isSessionId(sessionId)) return false;
  const result = await db
    .deleteFrom("sessions")
    .where("id", "=", sessionId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  activeSessions.sessionEnded(sessionId);
  return result.numDeletedRows > 0n;
}

/** Ends every session of the user but one (this browser's). */
export async function deleteOtherSessions(db: DB, userId: string, keepSessionId: string): Promise<number> {
  const ended = await db
    .deleteFrom("sessions")
    .where("user_id", "=", userId)
    .where("id", "!=", keepSessionId)
    .returning("id")
    .execute();
  for (const { id } of ended) activeSessions.sessionEnded(id);
  return ended.length;
}

/** Ends the session a cookie secret names, if it is one. */
export async function deleteSessionBySecret(db: DB, secret: unknown): Promise<void> {
  if (typeof secret !== "string" || !SECRET_PATTERN.test(secret)) return;
  const id = hashSessionSecret(secret);
  await db.deleteFrom("sessions").where("id", "=", id).execute();
  activeSessions.sessionEnded(id);
}
