import { createHash } from "node:crypto";
import type { RouteKey } from "./route-keys";

export interface RateLimitRule {
  readonly limit: number;
  readonly windowSeconds: number;
}

export interface RateLimitDecision {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Unix time in milliseconds when the window resets. */
  readonly resetAt: number;
  readonly bucket: string;
}

/**
 * Routes without a configured rule still report a bucket, so clients that
 * read the headers see realistic values, but it is never enforced.
 */
const NOMINAL_RULE: RateLimitRule = { limit: 50, windowSeconds: 1 };
const SWEEP_THRESHOLD = 10_000;

interface Window {
  startedAt: number;
  used: number;
}

/** Fixed-window counters per route and caller (token, client or address). */
export class RateLimiter {
  private readonly rules = new Map<RouteKey, RateLimitRule>();
  private readonly windows = new Map<string, Window>();

  setRule(route: RouteKey, rule: RateLimitRule): void {
    this.rules.set(route, rule);
    // A new rule starts from a clean slate rather than counting earlier requests.
    for (const key of this.windows.keys()) {
      if (key.startsWith(windowKey(route, ""))) this.windows.delete(key);
    }
  }

  clear(): void {
    this.rules.clear();
    this.windows.clear();
  }

  consume(route: RouteKey, caller: string, now: number): RateLimitDecision {
    const rule = this.rules.get(route);
    const { limit, windowSeconds } = rule ?? NOMINAL_RULE;
    const windowMs = windowSeconds * 1000;
    const key = windowKey(route, caller);
    let window = this.windows.get(key);
    if (!window || now >= window.startedAt + windowMs) {
      this.sweep(now);
      window = { startedAt: now, used: 0 };
      this.windows.set(key, window);
    }
    window.used += 1;
    return {
      allowed: rule === undefined || window.used <= limit,
      limit,
      remaining: Math.max(0, limit - window.used),
      resetAt: window.startedAt + windowMs,
      bucket: bucketId(route),
    };
  }

  /** Forgets finished windows once many callers (e.g. one per token) have piled up. */
  private sweep(now: number): void {
    if (this.windows.size < SWEEP_THRESHOLD) return;
    const longestWindowMs =
      Math.max(NOMINAL_RULE.windowSeconds, ...[...this.rules.values()].map((r) => r.windowSeconds)) * 1000;
    for (const [key, window] of this.windows) {
      if (now >= window.startedAt + longestWindowMs) this.windows.delete(key);
    }
  }
}

function windowKey(route: RouteKey, caller: string): string {
  return `${route}\u0000${caller}`;
}

/** Discord names buckets with opaque hashes; a stable one per route is just as opaque. */
function bucketId(route: RouteKey): string {
  return createHash("sha256").update(`discord-emulator:${route}`).digest("hex").slice(0, 32);
}
