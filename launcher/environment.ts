import { existsSync } from "node:fs";
import path from "node:path";
import { config as loadDotEnv } from "dotenv";
import { isLoopback, NODE_ENVS, parseConfig, type ConfigResult } from "~/config.server";

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

/** How long a start waits for a database that is not up yet (launcher/database.ts). */
export function databaseWaitSeconds(env: Environment): number {
  const value = env.DATABASE_WAIT_SECONDS;
  if (!isSet(value)) return 60;
  if (!/^\d{1,4}$/.test(value.trim()) || Number(value) > 3600) {
    throw new Error("DATABASE_WAIT_SECONDS: must be a whole number of seconds from 0 to 3600");
  }
  return Number(value);
}

export function isSet(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== "";
}

/** Valid stand-ins for what the launcher provides, so only the person's own values are checked. */
const STAND_INS = {
  DATABASE_URL: "postgres://embedded.invalid/postgres",
  DISCORD: {
    DISCORD_CLIENT_ID: "0",
    DISCORD_CLIENT_SECRET: "emulated",
    DISCORD_BASE_URL: "http://127.0.0.1",
    DISCORD_CDN_URL: "http://127.0.0.1",
    DISCORD_EMULATOR: "true",
    // The emulator's bot is given to the app too (launcher/discord.ts): the dashboard is on.
    DISCORD_BOT_TOKEN: "MTI5MDAwMDAwMDAwMDAwMDAwMQ.stand-in.the-emulators-bot-token-goes-here",
  },
  SESSION_SECRET: "x".repeat(32),
  TOKEN_ENCRYPTION_KEY: Buffer.alloc(32).toString("base64"),
};

/**
 * The app's configuration as it will be once the launcher has provided what is unset,
 * checked before anything starts. The emulator and throwaway secrets are for this
 * machine's own use: with an APP_URL elsewhere, or NODE_ENV=production set by the
 * operator, the launcher refuses to provide them, with one line per thing to set.
 */
export function previewConfig(env: Environment, mode: Mode): ConfigResult {
  const standIns: Environment = { NODE_ENV: nodeEnvFor(mode) };
  const problems: string[] = [];
  // The launcher sets NODE_ENV for the app itself, so the operator's value is checked
  // here: a mistyped "Production" would otherwise pass for "not production" and bring
  // the emulator and throwaway secrets.
  const nodeEnv = env.NODE_ENV?.trim();
  if (nodeEnv && !(NODE_ENVS as readonly string[]).includes(nodeEnv)) {
    problems.push(
      `NODE_ENV: must be production, development or test, or unset (got "${nodeEnv.slice(0, 40)}"); npm start serves the production build either way`,
    );
  }
  /** Unset, and not provided here: the config's own "is required" for them says less than ours. */
  const refused: string[] = [];
  const notHere = notThisMachineOnly(env);
  if (!isSet(env.DATABASE_URL)) standIns.DATABASE_URL = STAND_INS.DATABASE_URL;
  if (!isSet(env.DISCORD_CLIENT_ID)) {
    if (notHere) {
      problems.push(
        `DISCORD_CLIENT_ID: set it and DISCORD_CLIENT_SECRET to your Discord application: the built-in emulator is for this machine only, and ${notHere}`,
      );
      refused.push("DISCORD_CLIENT_ID", "DISCORD_CLIENT_SECRET");
    } else {
      Object.assign(standIns, STAND_INS.DISCORD);
    }
  }
  for (const name of ["SESSION_SECRET", "TOKEN_ENCRYPTION_KEY"] as const) {
    if (isSet(env[name])) continue;
    if (notHere) {
      problems.push(
        `${name}: set it (try: openssl rand -base64 32): throwaway secrets are for this machine only, and ${notHere}`,
      );
      refused.push(name);
    } else {
      standIns[name] = STAND_INS[name];
    }
  }
  const result = parseConfig({ ...env, ...standIns });
  const emulatorPort = env.EMULATOR_PORT?.trim();
  if (emulatorPort && !(/^\d{1,5}$/.test(emulatorPort) && Number(emulatorPort) <= 65535)) {
    problems.push(`EMULATOR_PORT: must be a port number from 0 to 65535 (got "${emulatorPort}")`);
  }
  if (problems.length === 0) return result;
  const own = result.ok ? [] : result.problems.filter((line) => !refused.some((name) => line.startsWith(`${name}:`)));
  return { ok: false, problems: [...own, ...problems] };
}

/** Why this launch is not for this machine alone (so no emulator, no throwaway secrets), or null. */
function notThisMachineOnly(env: Environment): string | null {
  if (env.NODE_ENV?.trim() === "production") return "NODE_ENV is production";
  const appUrl = env.APP_URL?.trim();
  if (!appUrl) return null; // http://localhost:PORT
  try {
    return isLoopback(new URL(appUrl).origin) ? null : `APP_URL (${appUrl}) is not on this machine`;
  } catch {
    return null; // a malformed APP_URL is reported by the config itself
  }
}

/** `npm start` serves the production build; `npm run dev` the development server. */
export function nodeEnvFor(mode: Mode): "production" | "development" {
  return mode === "start" ? "production" : "development";
}
