import { existsSync } from "node:fs";
import path from "node:path";
import { config as loadDotEnv } from "dotenv";
import { parseConfig, type ConfigResult } from "~/config.server";

export type Mode = "start" | "dev";
export type Environment = Record<string, string | undefined>;

export const DEFAULT_EMULATOR_PORT = 3001;
export const DEFAULT_EMBEDDED_DATABASE_DIR = ".data/pglite";

export function parseMode(argument: string | undefined): Mode {
  if (argument === "start" || argument === "dev") return argument;
  throw new Error(`usage: launcher/main.ts start|dev (got ${argument ?? "nothing"})`);
}

/** `.env` fills in what the real environment leaves unset; it never overrides it. */
export function loadEnvFile(root: string): string | null {
  const file = path.join(root, ".env");
  if (!existsSync(file)) return null;
  loadDotEnv({ path: file, override: false, quiet: true });
  return file;
}

export function isSet(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== "";
}

/**
 * The app's configuration as it will be once the launcher has provided what is unset.
 * The values the launcher itself provides (an embedded database, the emulator) are
 * stood in for, so only the person's own mistakes are reported, before anything starts.
 */
export function previewConfig(env: Environment, mode: Mode): ConfigResult {
  const standIns: Environment = { NODE_ENV: nodeEnvFor(mode) };
  if (!isSet(env.DATABASE_URL)) standIns.DATABASE_URL = "postgres://embedded.invalid/postgres";
  if (!isSet(env.DISCORD_CLIENT_ID)) {
    Object.assign(standIns, {
      DISCORD_CLIENT_ID: "0",
      DISCORD_CLIENT_SECRET: "emulated",
      DISCORD_BASE_URL: "http://127.0.0.1",
    });
  }
  const result = parseConfig({ ...env, ...standIns });
  const emulatorPort = env.EMULATOR_PORT?.trim();
  if (emulatorPort && !(/^\d{1,5}$/.test(emulatorPort) && Number(emulatorPort) <= 65535)) {
    const problem = `EMULATOR_PORT: must be a port number from 0 to 65535 (got "${emulatorPort}")`;
    return { ok: false, problems: result.ok ? [problem] : [...result.problems, problem] };
  }
  return result;
}

/** `npm start` serves the production build; `npm run dev` the development server. */
export function nodeEnvFor(mode: Mode): "production" | "development" {
  return mode === "start" ? "production" : "development";
}
