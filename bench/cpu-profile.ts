import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

// `npm run bench -- --profile`: the first instance runs under V8's sampling profiler
// (node --cpu-prof) and, when it stops, its profile is summarised here: where the app's CPU
// time went, by package and by function. Open the .cpuprofile file itself in Chrome's
// DevTools (Performance) or speedscope for the flame graph.

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export function profileFlags(directory: string): string[] {
  return ["--cpu-prof", `--cpu-prof-dir=${directory}`];
}

/** The newest profile in `directory`, summarised as two tables of self time. */
export function summariseNewestProfile(directory: string, top = 15): string {
  const newest = readdirSync(directory)
    .filter((name) => name.endsWith(".cpuprofile"))
    .sort()
    .at(-1);
  if (!newest) return `no .cpuprofile was written in ${directory}`;
  const file = path.join(directory, newest);
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, index) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));

  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busyUs = 0;
  for (const [id, us] of selfUs) {
    const frame = nodes.get(id)!.callFrame;
    if (frame.functionName === "(idle)" || frame.functionName === "(program)") continue;
    busyUs += us;
    const where = owner(frame.url, frame.functionName);
    byPackage.set(where, (byPackage.get(where) ?? 0) + us);
    const name = `${frame.functionName || "(anonymous)"} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  }
  const rows = (totals: Map<string, number>) =>
    [...totals]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => `| ${((us / busyUs) * 100).toFixed(1)}% | ${name.replaceAll("|", "\\|")} |`)
      .join("\n");
  return [
    `CPU profile of the first instance (${(busyUs / 1000).toFixed(0)} ms busy): ${file}`,
    "",
    "| self time | package |",
    "|---:|---|",
    rows(byPackage),
    "",
    "| self time | function |",
    "|---:|---|",
    rows(byFunction),
  ].join("\n");
}

/** Which package a frame belongs to: a dependency, the app's build, Node itself, or V8. */
function owner(url: string, functionName: string): string {
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) return dependency[1]!;
  if (url.includes("/build/")) return "the app (build/)";
  if (url.startsWith("node:")) return "node core";
  if (url === "") return functionName === "(garbage collector)" ? "(garbage collector)" : "V8 and native code";
  return shortUrl(url);
}

function shortUrl(url: string): string {
  const dependency = url.lastIndexOf("node_modules/");
  if (dependency >= 0) return url.slice(dependency + "node_modules/".length);
  return url.replace(/^file:\/\/.*?\/(build|server|node_modules)\//, "$1/");
}
