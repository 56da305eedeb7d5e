import { getConfig } from "~/config.server";
import { getDb } from "~/db/db.server";
import { hitRateLimit } from "~/models/rate-limit.server";
import { log } from "~/utils/logger.server";
import { arrivedThroughProxy, clientIp, clientKey } from "./client-details.server";

const WINDOW_MS = 60_000;
/**
 * A request without any client address shares one bucket with this many times the
 * per-client allowance: a cap on floods rather than a per-person limit. Served by
 * remix-serve there is always one (the connecting address, from server/preload.cjs,
 * without which the app refuses to start); route handlers called directly have none.
 */
const ADDRESSLESS_BUCKET_FACTOR = 50;

/**
 * `login-callback`: Discord's answers to logins this browser started (it carries the login
 * cookie); `stray-callback`: callbacks that did not, counted apart so junk cannot use up
 * the allowance of real logins.
 */
export type RateLimitedAction = "login-start" | "login-callback" | "stray-callback" | "account-action";

let warnedAboutProxy = false;

/**
 * Throws a 429 (with Retry-After) when this client has done `action` too often in the
 * last minute. Signed-in actions count per user; anonymous ones per client address (an
 * IPv6 client's /64): with TRUST_PROXY 0, the address that connected, whatever headers
 * the client sent, so no client can spend another's allowance
 * (docs/decisions/012-rate-limits-by-connecting-address.md). Limits:
 * RATE_LIMIT_LOGINS_PER_MINUTE and RATE_LIMIT_ACTIONS_PER_MINUTE (0 turns a limit off).
 */
export async function enforceRateLimit(request: Request, action: RateLimitedAction, userId?: string): Promise<void> {
  const { rateLimits, trustProxyHops } = getConfig();
  const perClient = action === "account-action" ? rateLimits.actionsPerMinute : rateLimits.loginsPerMinute;
  if (perClient === 0) return;
  if (trustProxyHops === 0 && arrivedThroughProxy(request) && !warnedAboutProxy) {
    warnedAboutProxy = true;
    log.warn(
      "requests arrive through a proxy (X-Forwarded-For) but TRUST_PROXY is 0: every client behind it shares its address and one allowance; set TRUST_PROXY to the number of proxies",
    );
  }
  const ip = clientIp(request, trustProxyHops);
  const who = userId ? `user:${userId}` : ip ? `ip:${clientKey(ip)}` : "addressless";
  const limit = who === "addressless" ? perClient * ADDRESSLESS_BUCKET_FACTOR : perClient;
  const decision = await hitRateLimit(getDb(), `${action}:${who}`, limit, WINDOW_MS);
  if (decision.allowed) return;
  const wait = decision.retryAfterSeconds;
  throw new Response(`Too many attempts in a short time. Please wait ${wait} seconds, then try again.`, {
    status: 429,
    statusText: "Too Many Requests",
    headers: { "Retry-After": String(wait), "Content-Type": "text/plain; charset=utf-8" },
  });
}
