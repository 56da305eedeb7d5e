import { existsSync } from "node:fs";

/** CHROMIUM_PATH, else the system's Chromium, else (undefined) Playwright's own download. */
export function chromiumExecutable(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined;
}

/**
 * Flags for every Chromium the tests launch. Without the background-networking ones
 * Chromium keeps calling Google's services, which fails slowly on a closed network.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
