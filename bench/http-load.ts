import autocannon from "autocannon";
import { peakRssWhile } from "./process-stats";

export interface LoadResult {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  peakRssMb: number;
}

export interface LoadOptions {
  url: string;
  headers?: Record<string, string>;
  /** Cookies sent in turn, one per request (many distinct sessions). */
  cookies?: readonly string[];
  connections: number;
  /** Run for this long, or until `amount` requests. */
  seconds?: number;
  amount?: number;
  /** The app processes whose memory to watch. */
  pids: number[];
}

/**
 * Drives one URL with autocannon (closed loop, `connections` at once) and refuses the
 * result unless every answer was a 2xx: a benchmark of error pages measures nothing.
 */
export async function hammer(options: LoadOptions): Promise<LoadResult> {
  const { result, peakRssMb } = await peakRssWhile(options.pids, () =>
    autocannon({
      url: options.url,
      headers: options.headers,
      requests: options.cookies ? [rotating(options.cookies)] : undefined,
      connections: options.connections,
      // autocannon refuses an explicit undefined: one or the other.
      ...(options.amount === undefined ? { duration: options.seconds } : { amount: options.amount }),
    }),
  );
  const failed = result.errors + result.timeouts + result.non2xx;
  if (failed > 0) {
    throw new Error(
      `${options.url}: ${failed} of ${result.requests.total} requests failed (errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx})`,
    );
  }
  const seconds = result.duration;
  return {
    requests: result.requests.total,
    requestsPerSecond: result.requests.total / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    peakRssMb,
  };
}

/** An autocannon request that sends the next cookie each time. */
function rotating(cookies: readonly string[]): autocannon.Request {
  let next = 0;
  return {
    setupRequest(request) {
      const cookie = cookies[next++ % cookies.length]!;
      return { ...request, headers: { ...request.headers, Cookie: cookie } };
    },
  };
}

/**
 * Runs two loads alternately, `rounds` times each, so drift (a warming JIT, a busy
 * neighbour) hits both alike; each figure is the median of the rounds, so one disturbed
 * round does not decide it.
 */
export async function sideBySide(a: LoadOptions, b: LoadOptions, rounds = 2): Promise<[LoadResult, LoadResult]> {
  const runs: Array<[LoadResult, LoadResult]> = [];
  for (let round = 0; round < rounds; round += 1) runs.push([await hammer(a), await hammer(b)]);
  return [combine(runs.map((pair) => pair[0])), combine(runs.map((pair) => pair[1]))];
}

function combine(results: LoadResult[]): LoadResult {
  const median = (pick: (result: LoadResult) => number) => {
    const sorted = results.map(pick).sort((x, y) => x - y);
    const middle = sorted.length / 2;
    return Number.isInteger(middle) ? (sorted[middle - 1]! + sorted[middle]!) / 2 : sorted[Math.floor(middle)]!;
  };
  return {
    requests: results.reduce((sum, result) => sum + result.requests, 0),
    requestsPerSecond: median((result) => result.requestsPerSecond),
    p50Ms: median((result) => result.p50Ms),
    p99Ms: median((result) => result.p99Ms),
    peakRssMb: Math.max(...results.map((result) => result.peakRssMb)),
  };
}
