import type { RouteKey } from "./route-keys";

/** What to do to one upcoming request on a route. */
export interface FaultEffect {
  /** Answer with this status instead of handling the request; null lets it through. */
  readonly status: number | null;
  /** For 429s: the retry_after to report, in seconds. */
  readonly retryAfterSeconds: number;
  /** Wait this long before answering (or before normal handling). */
  readonly delayMs: number;
  /** Answer with this JSON (and `status`) instead of the real response; undefined lets it through. */
  readonly body?: unknown;
}

interface QueuedFault extends FaultEffect {
  remaining: number;
}

/** Faults fire in the order they were added, each for its own number of requests. */
export class FaultQueue {
  private readonly queues = new Map<RouteKey, QueuedFault[]>();

  add(route: RouteKey, effect: FaultEffect, count: number): void {
    const queue = this.queues.get(route) ?? [];
    queue.push({ ...effect, remaining: count });
    this.queues.set(route, queue);
  }

  /** Consumes one request's worth of the oldest fault on the route, if any. */
  take(route: RouteKey): FaultEffect | undefined {
    const queue = this.queues.get(route);
    const fault = queue?.[0];
    if (!queue || !fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining === 0) queue.shift();
    return fault;
  }

  clear(): void {
    this.queues.clear();
  }
}
