import path from "node:path";

/**
 * V8 grows its heap as far as the machine allows before collecting; the app's live data
 * is a few tens of MB, so a bound keeps its memory predictable at no cost in throughput
 * (docs/benchmarks.md). An operator's own --max-old-space-size in NODE_OPTIONS wins.
 */
export const DEFAULT_HEAP_MB = 160;

/**
 * The young generation's semi-space, pinned beside the bound above. Node 24 raised V8's
 * default to 64 MB (Node 20 and 22: 16 MB); against a 160 MB old space that left too
 * little room to promote into, so collections ran back to back: the bad-input fuzz run
 * took 643 s on Node 24 against 186 s on Node 20, and 95 s on Node 24 with 16 MB. An
 * operator's own --max-semi-space-size in NODE_OPTIONS wins.
 */
export const DEFAULT_SEMI_SPACE_MB = 16;

/**
 * For every run of the Remix CLI (`remix build`, `remix dev`). The CLI loads its Vite plugin
 * eagerly, whose vite-node requires Vite's CommonJS entry, which prints "The CJS build of
 * Vite's Node API is deprecated": a notice about Remix's internals that the classic
 * compiler used here never touches, and that nobody building this app can act on.
 */
export const REMIX_CLI_ENV = { VITE_CJS_IGNORE_WARNING: "true" } as const;

/** What remix-serve gets preloaded: Node-level additions to a server this app does not own. */
export const PRELOAD = "./server/preload.cjs";

/** What `remix dev` gets preloaded: its development server bound to HOST, as the app is. */
export const DEV_SERVER_PRELOAD = "./launcher/dev-server-host.cjs";

/**
 * How the app process is started, by the launcher and by tests alike: remix-serve on the
 * production build (or `remix dev`), with the preload above.
 */
export function appCommand(
  root: string,
  mode: "start" | "dev",
  /** More flags for node, such as --cpu-prof (which NODE_OPTIONS may not carry). */
  nodeFlags: readonly string[] = [],
): { command: string; args: string[] } {
  const operator = process.env.NODE_OPTIONS ?? "";
  const heap = [
    ...(/max-old-space-size/.test(operator) ? [] : [`--max-old-space-size=${DEFAULT_HEAP_MB}`]),
    ...(/max-semi-space-size/.test(operator) ? [] : [`--max-semi-space-size=${DEFAULT_SEMI_SPACE_MB}`]),
  ];
  const node = [...heap, ...nodeFlags, "--require", PRELOAD];
  const remixServe = "./node_modules/@remix-run/serve/dist/cli.js";
  if (mode === "start") {
    return { command: process.execPath, args: [...node, remixServe, "./build/index.js"] };
  }
  const remixCli = path.join(root, "node_modules", "@remix-run", "dev", "dist", "cli.js");
  return {
    command: process.execPath,
    args: [
      "--require",
      DEV_SERVER_PRELOAD,
      remixCli,
      "dev",
      "--command",
      ["node", ...node, remixServe, "./build/index.js"].join(" "),
    ],
  };
}
