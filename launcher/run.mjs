// @ts-check
// `npm start`, `npm run db:migrate`, `db:purge`, `tokens:reseal`, `sessions:retire-secrets`,
// `emulator`: runs one of the compiled entry points in build/ with plain node. When the
// build is missing or was made from other sources, it is built first, if the build tools
// are installed; a production install (npm ci --omit=dev on a built tree) runs the build
// as it is. SETTINGS_FILE names a settings file to read first (launcher/settings-file.mjs).

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildState } from "./build-stamp.mjs";
import { writeLauncherLine } from "./log-line.mjs";
import { checkNodeVersion } from "./node-version.mjs";
import { loadSettingsFile } from "./settings-file.mjs";

const ENTRIES = [
  "launcher/main",
  "emulator/main",
  "scripts/migrate",
  "scripts/purge",
  "scripts/reseal-tokens",
  "scripts/retire-session-secrets",
  "scripts/register-linked-roles",
];

const root = fileURLToPath(new URL("..", import.meta.url));
const [entry, ...args] = process.argv.slice(2);
if (!entry || !ENTRIES.includes(entry)) {
  console.error(`usage: node launcher/run.mjs <${ENTRIES.join("|")}> [arguments]`);
  process.exit(2);
}

// The operator's settings file (docs/deploy.md), for the scripts run by hand: read as
// systemd reads it for the service.
loadSettingsFile((message) => {
  writeLauncherLine("error", message);
  process.exit(1);
});
checkNodeVersion();
const state = buildState(root);
if (state !== "current") {
  const tsx = path.join(root, "node_modules", ".bin", "tsx");
  const why = state === "missing" ? "there is no build yet" : "the sources changed since the last build";
  if (!existsSync(tsx)) {
    writeLauncherLine(
      "error",
      `${why}, and the build tools are not installed (npm ci --omit=dev). Run npm run build where they are, and deploy its build/ with the sources.`,
    );
    process.exit(1);
  }
  writeLauncherLine("info", `${why}, building it (a few seconds)…`, "build");
  const built = spawnSync(tsx, ["scripts/build.ts"], { cwd: root, stdio: "inherit" });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const compiled = path.join(root, "build", `${entry}.js`);
process.argv = [process.argv[0] ?? "node", compiled, ...args];
await import(pathToFileURL(compiled).href);
