import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import type { Finding, Row } from "./context";

export interface Environment {
  date: string;
  machine: string;
  node: string;
  postgres: string;
  packages: string;
  database: string;
}

export function describeEnvironment(postgresVersion: string, databaseHost: string): Environment {
  const version = (name: string) =>
    JSON.parse(readFileSync(new URL(`../node_modules/${name}/package.json`, import.meta.url), "utf8")).version;
  return {
    date: new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC",
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type()} ${os.release()}`,
    node: process.version,
    postgres: postgresVersion,
    packages: ["@remix-run/serve", "react", "kysely", "pg", "remix-auth", "autocannon"]
      .map((name) => `${name} ${version(name)}`)
      .join(", "),
    database: databaseHost,
  };
}

export function table(rows: Row[]): string {
  const lines = [
    "| case | variant | requests | req/s | p50 ms | p99 ms | peak RSS MB | load generator CPU |",
    "|---|---|---:|---:|---:|---:|---:|---:|",
  ];
  for (const { case: name, variant, load } of rows) {
    const generator = load.generatorCpu === undefined ? "–" : `${(load.generatorCpu * 100).toFixed(0)}%`;
    lines.push(
      `| ${name} | ${variant} | ${load.requests.toLocaleString("en")} | ${load.requestsPerSecond.toFixed(0)} | ${load.p50Ms.toFixed(1)} | ${load.p99Ms.toFixed(1)} | ${load.peakRssMb.toFixed(0)} | ${generator} |`,
    );
  }
  return lines.join("\n");
}

export function verdicts(findings: Finding[]): string {
  const mark = (passed: boolean | null) => (passed === null ? "·" : passed ? "✓" : "✗");
  const lines = ["| | figure | measured | target |", "|---|---|---|---|"];
  for (const finding of findings)
    lines.push(`| ${mark(finding.passed)} | ${finding.name} | ${finding.value} | ${finding.target} |`);
  return lines.join("\n");
}

/** Replaces the recorded run in docs/benchmarks.md, keeping the page's own text above it. */
export function writeBenchmarksDoc(environment: Environment, rows: Row[], findings: Finding[], minutes: number): void {
  const file = new URL("../docs/benchmarks.md", import.meta.url);
  const intro = readFileSync(file, "utf8").split("\n## Latest run")[0]!.trimEnd();
  const run = [
    "## Latest run",
    "",
    `${environment.date}, ${minutes.toFixed(1)} minutes. Machine: ${environment.machine}. Node ${environment.node}; ${environment.postgres}; ${environment.packages}. Database: ${environment.database}.`,
    "",
    table(rows),
    "",
    verdicts(findings),
    "",
  ].join("\n");
  writeFileSync(file, `${intro}\n\n${run}`);
}
