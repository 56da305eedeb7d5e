import { randomBytes } from "node:crypto";
import type { DB } from "~/db/db.server";
import { sha256 } from "~/crypto/sha256.server";

/** Long enough to read Discord's consent page; short enough that a leaked state goes stale. */
export const LOGIN_ATTEMPT_LIFETIME_MS = 10 * 60 * 1000;

export interface LoginAttempt {
  /** Sent to Discord and kept in the browser's cookie; the table keeps only its hash. */
  state: string;
  /** PKCE code_verifier; stays on the server until the code exchange. */
  codeVerifier: string;
}

export async function createLoginAttempt(db: DB, now = new Date()): Promise<LoginAttempt> {
  const attempt = { state: randomBytes(32).toString("base64url"), codeVerifier: randomBytes(32).toString("base64url") };
  await db
    .insertInto("login_attempts")
    .values({
      id: sha256(attempt.state),
      code_verifier: attempt.codeVerifier,
      created_at: now,
      expires_at: new Date(now.getTime() + LOGIN_ATTEMPT_LIFETIME_MS),
    })
    .execute();
  return attempt;
}

/**
 * Takes the attempt for `state` out of the table and returns its verifier, once: a second
 * call for the same state, on any instance, finds nothing. Expired attempts are removed too.
 */
export async function consumeLoginAttempt(db: DB, state: string, now = new Date()): Promise<string | null> {
  const row = await db
    .deleteFrom("login_attempts")
    .where("id", "=", sha256(state))
    .returning(["code_verifier", "expires_at"])
    .executeTakeFirst();
  return row && row.expires_at > now ? row.code_verifier : null;
}
