import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";

// wrk (Debian's `wrk` package), a small load generator in C: where it is installed, the
// stack-ceiling ratios are measured with it too, so a figure that only the JavaScript
// generator's own cost produced cannot pass for the app's.

export interface WrkResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export function wrkInstalled(): boolean {
  return spawnSync("wrk", ["--version"]).error === undefined;
}

/** One wrk run: one thread, `connections` connections, for `seconds`; refuses any non-2xx answer. */
export async function wrkLoad(options: {
  url: string;
  headers?: Record<string, string>;
  connections: number;
  seconds: number;
}): Promise<WrkResult> {
  const headers = Object.entries(options.headers ?? {}).flatMap(([name, value]) => ["-H", `${name}: ${value}`]);
  const args = ["-t1", `-c${options.connections}`, `-d${options.seconds}s`, "--latency", ...headers, options.url];
  const { stdout } = await promisify(execFile)("wrk", args);
  const failed = /Non-2xx or 3xx responses: (\d+)/.exec(stdout) ?? /Socket errors: (.*)/.exec(stdout);
  if (failed) throw new Error(`wrk ${options.url}: ${failed[0]}`);
  const perSecond = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
  if (!perSecond) throw new Error(`wrk ${options.url}: no Requests/sec in its output:\n${stdout}`);
  return {
    requestsPerSecond: Number(perSecond[1]),
    p50Ms: percentile(stdout, "50%"),
    p99Ms: percentile(stdout, "99%"),
  };
}

function percentile(output: string, label: string): number {
  const match = new RegExp(`^\\s+${label}\\s+([\\d.]+)(us|ms|s)$`, "m").exec(output);
  if (!match) return NaN;
  const value = Number(match[1]);
  return match[2] === "us" ? value / 1000 : match[2] === "s" ? value * 1000 : value;
}

/** Two wrk loads alternately, `rounds` times each; the median requests per second of each. */
export async function wrkSideBySide(
  a: Parameters<typeof wrkLoad>[0],
  b: Parameters<typeof wrkLoad>[0],
  rounds = 2,
): Promise<[number, number]> {
  const first: number[] = [];
  const second: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    first.push((await wrkLoad(a)).requestsPerSecond);
    second.push((await wrkLoad(b)).requestsPerSecond);
  }
  return [median(first), median(second)];
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = sorted.length / 2;
  return Number.isInteger(middle) ? (sorted[middle - 1]! + sorted[middle]!) / 2 : sorted[Math.floor(middle)]!;
}
