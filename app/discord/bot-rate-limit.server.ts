/**
 * Discord's limits on a bot token, kept by one instance (docs/decisions/015-bot-rate-limits.md):
 * - per-route buckets, learned from X-RateLimit-Bucket, -Remaining and -Reset-After, a
 *   bucket per major parameter (the channel or the server in the path);
 * - the global limit (50 requests a second per bot), of which this instance uses its share;
 * - invalid requests (401, 403, and 429s other than shared ones): 10,000 in 10 minutes get
 *   the whole address banned, so this instance stops at its share of a safe fraction.
 * A call that would have to wait longer than a person should is refused with the wait, so
 * the page says "try again in N s" instead of hanging.
 */

export interface BotLimits {
  /** This instance's share of Discord's 50 requests a second. */
  readonly requestsPerSecond: number;
  /** This instance's share of the invalid requests allowed in 10 minutes. */
  readonly invalidPer10Minutes: number;
  /** The longest a call waits for its turn before it is refused instead. */
  readonly maxWaitMs: number;
}

export type Turn = { readonly waitMs: number } | { readonly refusedForSeconds: number };

interface Bucket {
  remaining: number;
  resetAt: number;
}

const SECOND_MS = 1_000;
const INVALID_WINDOW_MS = 10 * 60 * 1_000;
/** Buckets kept at most: one per channel and server in use, and the spent ones go first. */
const MAX_BUCKETS = 10_000;

export class BotRateLimiter {
  /** route → the bucket Discord says it belongs to (routes may share one). */
  private readonly bucketOfRoute = new Map<string, string>();
  /** bucket + major parameter → what is left of it until when. */
  private readonly buckets = new Map<string, Bucket>();
  /** When the last second's requests went out, oldest first. */
  private readonly sent: number[] = [];
  private readonly invalid: number[] = [];
  private globalBlockedUntil = 0;

  constructor(
    private readonly limits: BotLimits,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Takes a turn for a request on `route` ("POST /channels/{id}/messages") with its major
   * parameter, reserving its place in the bucket and the global window: go after
   * `waitMs`, or do not go at all.
   */
  take(route: string, major: string): Turn {
    const now = this.now();
    forget(this.invalid, now - INVALID_WINDOW_MS);
    if (this.invalid.length >= this.limits.invalidPer10Minutes) {
      return { refusedForSeconds: Math.ceil((this.invalid[0]! + INVALID_WINDOW_MS - now) / SECOND_MS) };
    }
    forget(this.sent, now - SECOND_MS);
    const bucket = this.bucketFor(route, major);
    const bucketFreeAt = bucket && bucket.remaining <= 0 && bucket.resetAt > now ? bucket.resetAt : now;
    const windowFreeAt =
      this.sent.length >= this.limits.requestsPerSecond
        ? this.sent[this.sent.length - this.limits.requestsPerSecond]! + SECOND_MS
        : now;
    const at = Math.max(bucketFreeAt, windowFreeAt, this.globalBlockedUntil);
    if (at - now > this.limits.maxWaitMs) return { refusedForSeconds: Math.max(1, Math.ceil((at - now) / SECOND_MS)) };
    if (bucket) bucket.remaining -= 1;
    this.sent.push(at);
    this.sent.sort((a, b) => a - b);
    return { waitMs: at - now };
  }

  /** What Discord answered: its bucket headers, and whether the request counted as invalid. */
  observe(route: string, major: string, status: number, headers: Headers, retryAfterSeconds?: number): void {
    const now = this.now();
    const bucketId = headers.get("X-RateLimit-Bucket");
    const remaining = Number(headers.get("X-RateLimit-Remaining"));
    const resetAfter = Number(headers.get("X-RateLimit-Reset-After"));
    if (bucketId && Number.isFinite(remaining) && Number.isFinite(resetAfter)) {
      this.bucketOfRoute.set(route, bucketId);
      this.buckets.set(`${bucketId}:${major}`, { remaining, resetAt: now + resetAfter * SECOND_MS });
      if (this.buckets.size > MAX_BUCKETS) this.forgetBuckets(now);
    }
    if (status === 429) {
      const until = now + (retryAfterSeconds ?? 1) * SECOND_MS;
      if (headers.get("X-RateLimit-Global") === "true")
        this.globalBlockedUntil = Math.max(this.globalBlockedUntil, until);
      else this.bucketFor(route, major, true)!.resetAt = until;
    }
    // Discord does not count 429s of a shared resource toward the ban.
    const shared = status === 429 && headers.get("X-RateLimit-Scope") === "shared";
    if ((status === 401 || status === 403 || status === 429) && !shared) this.invalid.push(now);
  }

  /** Invalid requests in the last 10 minutes, for the operator's log and the tests. */
  invalidInWindow(): number {
    forget(this.invalid, this.now() - INVALID_WINDOW_MS);
    return this.invalid.length;
  }

  /**
   * Drops buckets whose window has passed (Discord refills them), then the oldest, down to
   * nine tenths of the bound so the sweep is rare.
   */
  private forgetBuckets(now: number): void {
    for (const [key, bucket] of this.buckets) if (bucket.resetAt <= now) this.buckets.delete(key);
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= MAX_BUCKETS * 0.9) break;
      this.buckets.delete(key);
    }
  }

  private bucketFor(route: string, major: string, create = false): Bucket | undefined {
    const key = `${this.bucketOfRoute.get(route) ?? route}:${major}`;
    let bucket = this.buckets.get(key);
    if (!bucket && create) this.buckets.set(key, (bucket = { remaining: 0, resetAt: 0 }));
    return bucket;
  }
}

/** Drops the times before `since` from the front of a sorted list. */
function forget(times: number[], since: number): void {
  let stale = 0;
  while (stale < times.length && times[stale]! <= since) stale += 1;
  times.splice(0, stale);
}
