import { getConfig } from "~/config.server";
import { getDb } from "~/db/db.server";
import { hitRateLimit } from "~/models/rate-limit.server";
import { clientIp, clientKey, isPrivateAddress } from "./client-details.server";

const WINDOW_MS = 60_000;
/**
 * When the app cannot tell clients apart, anonymous requests share one bucket with this
 * many times the per-client allowance: a cap on floods rather than a per-person limit.
 * That is the case without TRUST_PROXY when the peer is a private address (most likely a
 * proxy nobody declared, whose clients would otherwise share one person's allowance).
 */
export const SHARED_BUCKET_FACTOR = 50;

export type RateLimitedAction = "login-start" | "login-callback" | "account-action";

/**
 * Throws a 429 (with Retry-After) when this client has done `action` too often in the
 * last minute. Signed-in actions count per user; anonymous ones per client address (an
 * IPv6 client's /64) when it is known, else together. Limits: RATE_LIMIT_LOGINS_PER_MINUTE and
 * RATE_LIMIT_ACTIONS_PER_MINUTE (0 turns a limit off).
 */
export async function enforceRateLimit(request: Request, action: RateLimitedAction, userId?: string): Promise<void> {
  const { rateLimits, trustProxyHops } = getConfig();
  const perClient = action === "account-action" ? rateLimits.actionsPerMinute : rateLimits.loginsPerMinute;
  if (perClient === 0) return;
  const ip = clientIp(request, trustProxyHops);
  const tellsClientsApart = ip !== null && (trustProxyHops > 0 || !isPrivateAddress(ip));
  const who = userId ? `user:${userId}` : tellsClientsApart ? `ip:${clientKey(ip)}` : "shared";
  const limit = who === "shared" ? perClient * SHARED_BUCKET_FACTOR : perClient;
  const decision = await hitRateLimit(getDb(), `${action}:${who}`, limit, WINDOW_MS);
  if (decision.allowed) return;
  const wait = decision.retryAfterSeconds;
  throw new Response(`Too many attempts in a short time. Please wait ${wait} seconds, then try again.`, {
    status: 429,
    statusText: "Too Many Requests",
    headers: { "Retry-After": String(wait), "Content-Type": "text/plain; charset=utf-8" },
  });
}
