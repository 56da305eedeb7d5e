// @ts-check
// The Node.js versions this app supports (package.json's engines): 22 and 24 LTS, and
// Node 20 from 20.19 for as long as it costs nothing. Node 20 reached its end of life on
// 2026-04-30 and gets no security fixes: run it with a warning, never silently.

import { writeLauncherLine } from "./log-line.mjs";

const NODE_20_END_OF_LIFE = "2026-04-30";

/**
 * Refuses a Node.js older than 20.19 (the oldest this app is tested on; stock Debian 12's
 * is Node 18) and warns on Node 20. Returns the judgement to print, if any.
 * @param {string} version process.versions.node
 * @returns {{ refused: boolean, message: string } | null}
 */
export function judgeNodeVersion(version) {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    return {
      refused: true,
      message: `Node.js ${version} is too old: this app needs Node.js 22 or 24 LTS (see .nvmrc), or 20.19 at least.`,
    };
  }
  if (major === 20) {
    return {
      refused: false,
      message: `Node.js ${version}: Node 20 reached its end of life on ${NODE_20_END_OF_LIFE} and gets no security fixes; move to Node.js 24 LTS (see .nvmrc) or 22.`,
    };
  }
  return null;
}

/** Prints the judgement on this process's Node.js; exits when it is refused. */
export function checkNodeVersion() {
  const judgement = judgeNodeVersion(process.versions.node);
  if (!judgement) return;
  if (judgement.refused) {
    writeLauncherLine("error", judgement.message);
    process.exit(1);
  }
  writeLauncherLine("warn", judgement.message);
}
