import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

// Linux /proc readings of another process: what the benchmarks report as its memory and
// CPU time, sampled from outside so the measuring costs the app nothing.

const TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

/** Resident set size, in MB. */
export function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  return kb / 1024;
}

/** CPU time the process has used so far (user + system), in milliseconds. */
export function cpuMs(pid: number): number {
  // Fields after the command name (which may contain spaces): utime is 14th, stime 15th.
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1000;
}

/** The highest RSS of some processes while something runs, sampled every 200 ms. */
export async function peakRssWhile<T>(
  pids: number[],
  work: () => Promise<T>,
): Promise<{ result: T; peakRssMb: number }> {
  let peak = Math.max(...pids.map(rssMb));
  const timer = setInterval(() => {
    peak = Math.max(peak, ...pids.map(rssMb));
  }, 200);
  try {
    const result = await work();
    peak = Math.max(peak, ...pids.map(rssMb));
    return { result, peakRssMb: peak };
  } finally {
    clearInterval(timer);
  }
}

/**
 * RSS once a burst is over: V8 keeps the heap it grew to (up to --max-old-space-size and
 * its young generation) until its memory reducer sees the process idle, then gives back
 * what is garbage. Read after `idleMs` of no load: what the process holds, not its slack.
 */
export async function settledRss(pid: number, idleMs: number): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, idleMs));
  return rssMb(pid);
}
