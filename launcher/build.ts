import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { REMIX_CLI_ENV } from "./app-command";
import { status } from "./log";
import { runToCompletion } from "./processes";

const SOURCES = ["app", "public", "remix.config.js", "package-lock.json", "tsconfig.json"];

/** Builds the production bundle when it is missing or older than its sources. */
export async function ensureProductionBuild(root: string): Promise<void> {
  const output = path.join(root, "build", "index.js");
  if (existsSync(output) && existsSync(path.join(root, "public", "build"))) {
    const builtAt = statSync(output).mtimeMs;
    if (newestChange(root, SOURCES) <= builtAt) return;
    status("build", "sources changed since the last build, rebuilding (a few seconds)…");
  } else {
    status("build", "no production build yet, building it once (a few seconds)…");
  }
  await buildApp(root);
}

/** `remix build`: the production bundle of the app (build/ and public/build/). */
export async function buildApp(root: string): Promise<void> {
  // Whatever NODE_ENV the caller has (a shell's "development", vitest's "test"), this is
  // the production build: built otherwise, it emits development JSX that remix-serve's
  // production React cannot run.
  await runToCompletion(path.join(root, "node_modules", ".bin", "remix"), ["build"], {
    cwd: root,
    env: { ...process.env, ...REMIX_CLI_ENV, NODE_ENV: "production" },
  });
}

function newestChange(root: string, entries: string[]): number {
  let newest = 0;
  for (const entry of entries) {
    const full = path.join(root, entry);
    if (!existsSync(full) || full === path.join(root, "public", "build")) continue;
    const stats = statSync(full);
    newest = Math.max(newest, stats.mtimeMs);
    if (stats.isDirectory()) {
      const children = readdirSync(full).map((child) => path.join(entry, child));
      newest = Math.max(newest, newestChange(root, children));
    }
  }
  return newest;
}
