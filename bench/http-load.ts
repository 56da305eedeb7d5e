import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { LoadJob, LoadOutput } from "./load-worker";
import { peakRssWhile } from "./process-stats";

export interface LoadResult {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  peakRssMb: number;
  /** The load generator's CPU, as a share of one core (absent where the case drives its own load). */
  generatorCpu?: number;
}

export interface LoadOptions extends LoadJob {
  /** The app processes whose memory to watch. */
  pids: number[];
}

const WORKER = fileURLToPath(new URL("./load-worker.ts", import.meta.url));

/**
 * Drives one URL with autocannon (closed loop, `connections` at once) in a process of its
 * own (bench/load-worker.ts), and refuses the result unless every answer was a 2xx: a
 * benchmark of error pages measures nothing.
 */
export async function hammer(options: LoadOptions): Promise<LoadResult> {
  const { pids, ...job } = options;
  const { result, peakRssMb } = await peakRssWhile(pids, () => inWorker(job));
  const failed = result.failed.errors + result.failed.timeouts + result.failed.non2xx;
  if (failed > 0) {
    throw new Error(
      `${options.url}: ${failed} of ${result.requests} requests failed (errors ${result.failed.errors}, timeouts ${result.failed.timeouts}, non-2xx ${result.failed.non2xx})`,
    );
  }
  return {
    requests: result.requests,
    requestsPerSecond: result.requests / result.seconds,
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    peakRssMb,
    generatorCpu: result.cpuShare,
  };
}

/** Runs the job in a new process with the same Node.js and loaders (tsx) as this one. */
function inWorker(job: LoadJob): Promise<LoadOutput> {
  return new Promise((resolve, reject) => {
    const worker = spawn(process.execPath, [...process.execArgv, WORKER], { stdio: ["pipe", "pipe", "inherit"] });
    let output = "";
    worker.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (code === 0) resolve(JSON.parse(output) as LoadOutput);
      else reject(new Error(`the load generator for ${job.url} exited with ${code}`));
    });
    worker.stdin.end(JSON.stringify(job));
  });
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
    generatorCpu: Math.max(...results.map((result) => result.generatorCpu ?? 0)),
  };
}
