// @ts-check
// Whether build/ was made from the sources as they are now: a digest of their contents
// (not their times, which a copy resets), written by the build and compared by
// launcher/run.mjs before it runs anything from build/.

import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Everything `npm run build` reads. */
const SOURCES = [
  "app",
  "emulator",
  "launcher",
  "migrations",
  "scripts",
  "public",
  "remix.config.js",
  "tsconfig.json",
  "package-lock.json",
];
/** Read by nothing the build makes. */
const IGNORED = [/\.test\.tsx?$/, /^public\/build(\/|$)/];

const STAMP = path.join("build", "build-stamp.json");

/** @param {string} root @returns {string | null} null when the sources are not there at all (a bare build) */
export function sourcesDigest(root) {
  const files = SOURCES.flatMap((entry) => listFiles(root, entry));
  if (files.length === 0) return null;
  const hash = createHash("sha256");
  for (const file of files.sort()) {
    hash
      .update(file)
      .update("\0")
      .update(readFileSync(path.join(root, file)))
      .update("\0");
  }
  return hash.digest("hex");
}

/** @param {string} root @returns {"current" | "stale" | "missing"} */
export function buildState(root) {
  /** @type {unknown} */
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(path.join(root, STAMP), "utf8"));
  } catch {
    return "missing";
  }
  const built = typeof stamp === "object" && stamp !== null && "sources" in stamp ? stamp.sources : undefined;
  const digest = sourcesDigest(root);
  return digest === null || built === digest ? "current" : "stale";
}

/** @param {string} root */
export function writeBuildStamp(root) {
  writeFileSync(path.join(root, STAMP), `${JSON.stringify({ sources: sourcesDigest(root) })}\n`);
}

/** @param {string} root @param {string} entry @returns {string[]} */
function listFiles(root, entry) {
  if (IGNORED.some((pattern) => pattern.test(entry))) return [];
  const full = path.join(root, entry);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [entry];
  return readdirSync(full).flatMap((child) => listFiles(root, path.posix.join(entry, child)));
}
