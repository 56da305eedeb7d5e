import { performance } from "node:perf_hooks";
import { sha256 } from "~/crypto/sha256.server";
import type { DB } from "~/db/db.server";
import { createSession } from "~/models/session.server";
import { upsertUserFromDiscord } from "~/models/user.server";
import { sessionCookieFor } from "./app-instances";
import { bareIdentity } from "./identities";

// What tests of the session cache ask of running instances: is this cookie's session
// served, when does that stop, is the cache live.

/** Anything answering HTTP at `url`: an app instance, or the proxy in front of several. */
export interface Served {
  url: string;
}

export interface SignedIn {
  /** "session=…" */
  cookie: string;
  /** The row's id (the hash of the cookie's secret), for statements made behind the app's back. */
  sessionId: string;
  userId: string;
}

let people = 0;

/** A signed-in person, straight into the database (logins are not what these tests measure). */
export async function signedInPerson(db: DB, env: Record<string, string>): Promise<SignedIn> {
  people += 1;
  const discordId = String(100_000_000_000_000_000n + BigInt(process.pid) * 100_000n + BigInt(people));
  const user = await upsertUserFromDiscord(db, bareIdentity(discordId, `cached.${people}`));
  const { secret } = await createSession(db, user.id, { userAgent: null, ip: null }, 60 * 60_000);
  return { cookie: await sessionCookieFor(env, secret), sessionId: sha256(secret), userId: user.id };
}

/** Whether the instance serves the signed-in user behind `cookie`. */
export async function accepts(app: Served, cookie: string): Promise<boolean> {
  const response = await fetch(`${app.url}/api/auth/user`, { headers: { Cookie: cookie } });
  await response.body?.cancel();
  return response.status === 200;
}

/** Whom the instance serves behind `cookie`: the user's id, or null when signed out. */
export async function servedAs(app: Served, cookie: string): Promise<string | null> {
  const response = await fetch(`${app.url}/api/auth/user`, { headers: { Cookie: cookie } });
  if (response.status !== 200) {
    await response.body?.cancel();
    return null;
  }
  return ((await response.json()) as { user: { id: string } }).user.id;
}

/** Logs out through the instance; the ending has committed when this returns. */
export async function logOutOn(app: Served, cookie: string, origin: string): Promise<void> {
  const response = await fetch(`${app.url}/logout`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: origin },
    redirect: "manual",
  });
  await response.body?.cancel();
  if (response.status !== 302) throw new Error(`logout on ${app.url} answered ${response.status}`);
}

/**
 * Milliseconds from `since` (performance.now()) until every instance refuses the session,
 * asking them in turn without pause; throws after `withinMs`.
 */
export async function untilRefused(
  apps: readonly Served[],
  cookie: string,
  since: number,
  withinMs: number,
): Promise<number> {
  const waiting = new Set(apps);
  while (waiting.size > 0) {
    for (const app of [...waiting]) if (!(await accepts(app, cookie))) waiting.delete(app);
    if (performance.now() - since > withinMs) {
      throw new Error(
        `${[...waiting].map((app) => app.url).join(", ")} still served the session ${withinMs} ms after it ended`,
      );
    }
  }
  return performance.now() - since;
}

export async function cacheState(app: Served): Promise<string> {
  const response = await fetch(`${app.url}/healthz`);
  return ((await response.json()) as { session_cache: string }).session_cache;
}

/** Milliseconds until the instance's session cache is in `state`; throws after `withinMs`. */
export async function untilCache(app: Served, state: "live" | "bypassed", withinMs = 20_000): Promise<number> {
  const start = performance.now();
  while ((await cacheState(app).catch(() => "unreachable")) !== state) {
    if (performance.now() - start > withinMs)
      throw new Error(`${app.url}: the session cache was not ${state} within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return performance.now() - start;
}

/** "p50 … ms, p99 … ms, max … ms" of a set of durations. */
export function percentiles(durations: readonly number[]): { p50: number; p99: number; max: number; text: string } {
  const sorted = [...durations].sort((x, y) => x - y);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const [p50, p99, max] = [at(0.5), at(0.99), sorted.at(-1)!];
  return { p50, p99, max, text: `p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms` };
}
