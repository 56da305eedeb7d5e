import type { RateLimitDecision } from "./rate-limiter";

const seconds = (ms: number): string => (Math.max(0, ms) / 1000).toFixed(3);

/** The headers Discord puts on every API response. https://discord.com/developers/docs/topics/rate-limits#header-format */
export function rateLimitHeaders(decision: RateLimitDecision, now: number): Record<string, string> {
  return {
    "X-RateLimit-Limit": String(decision.limit),
    "X-RateLimit-Remaining": String(decision.remaining),
    "X-RateLimit-Reset": seconds(decision.resetAt),
    "X-RateLimit-Reset-After": seconds(decision.resetAt - now),
    "X-RateLimit-Bucket": decision.bucket,
  };
}

/** A 429 as Discord sends it: float retry_after in the body, whole seconds in Retry-After. */
export function rateLimitedResponse(retryAfterSeconds: number, now: number) {
  const retryAfter = Math.round(retryAfterSeconds * 1000) / 1000;
  return {
    body: { message: "You are being rate limited.", retry_after: retryAfter, global: false },
    headers: {
      "Retry-After": String(Math.max(1, Math.ceil(retryAfter))),
      "X-RateLimit-Remaining": "0",
      "X-RateLimit-Reset": seconds(now + retryAfter * 1000),
      "X-RateLimit-Reset-After": retryAfter.toFixed(3),
      // "user": the limit belongs to this caller, not to the whole application or resource.
      "X-RateLimit-Scope": "user",
    },
  };
}
