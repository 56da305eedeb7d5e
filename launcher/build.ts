import { rmSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { build as bundle } from "esbuild";
import { REMIX_CLI_ENV } from "./app-command";
import { buildState, writeBuildStamp } from "./build-stamp.mjs";
import { status } from "./log";
import { runToCompletion } from "./processes";

/** The Node programs production runs, compiled to build/<same path>.js. */
const NODE_ENTRIES = [
  "launcher/main.ts",
  "emulator/main.ts",
  "scripts/migrate.ts",
  "scripts/purge.ts",
  "scripts/reseal-tokens.ts",
  "scripts/retire-session-secrets.ts",
  "scripts/register-linked-roles.ts",
];

/**
 * `npm run build`: everything production runs, so that a production install (npm ci
 * --omit=dev) needs neither TypeScript nor the build tools: the app (remix build, into
 * build/index.js and public/build/), the launcher, the emulator, the operational scripts
 * and the migrations (esbuild, into build/).
 */
export async function buildAll(root: string): Promise<void> {
  status("build", "the app (remix build)…");
  await buildApp(root);
  status("build", "the launcher, the emulator, the scripts and the migrations (esbuild)…");
  for (const folder of ["launcher", "emulator", "scripts", "migrations", "chunks"]) {
    rmSync(path.join(root, "build", folder), { recursive: true, force: true });
  }
  // The oldest Node.js package.json's engines accept, so no newer syntax reaches it.
  const common = {
    platform: "node",
    format: "esm",
    target: "node20.19",
    sourcemap: true,
    logLevel: "warning",
  } as const;
  await bundle({
    ...common,
    absWorkingDir: root,
    entryPoints: NODE_ENTRIES,
    outdir: "build",
    outbase: ".",
    bundle: true,
    // Split, so what is loaded only when used (the embedded Postgres, the emulator) stays
    // in chunks of its own; dependencies stay in node_modules.
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    packages: "external",
    tsconfig: "tsconfig.json",
  });
  const migrations = (await readdir(path.join(root, "migrations"))).filter((file) => file.endsWith(".ts"));
  await bundle({
    ...common,
    absWorkingDir: root,
    entryPoints: migrations.map((file) => `migrations/${file}`),
    outdir: "build/migrations",
  });
  writeBuildStamp(root);
  status("build", "done");
}

/** Builds everything when the build is missing or was made from other sources (tests, the bench). */
export async function ensureProductionBuild(root: string): Promise<void> {
  const state = buildState(root);
  if (state === "current") return;
  status("build", state === "missing" ? "no build yet, building it once…" : "sources changed, rebuilding…");
  await buildAll(root);
}

/** `remix build`: the production bundle of the app (build/index.js and public/build/). */
async function buildApp(root: string): Promise<void> {
  // Whatever NODE_ENV the caller has (a shell's "development", vitest's "test"), this is
  // the production build: built otherwise, it emits development JSX that remix-serve's
  // production React cannot run.
  await runToCompletion(path.join(root, "node_modules", ".bin", "remix"), ["build"], {
    cwd: root,
    env: { ...process.env, ...REMIX_CLI_ENV, NODE_ENV: "production" },
  });
}
