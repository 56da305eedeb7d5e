import { spawn, type ChildProcess } from "node:child_process";
import { createCookie } from "@remix-run/node";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import type { RunningEmulator } from "../../emulator/server";
import type { EmulatorAt } from "../../emulator/testing/harness";
import { appCommand } from "../../launcher/app-command";
import { ensureProductionBuild } from "../../launcher/build";
import { stopChild, waitUntilHealthy } from "../../launcher/processes";
import { OutputTail } from "./output-tail";
import { firstCookie } from "./set-cookie";

const root = fileURLToPath(new URL("../..", import.meta.url));

export interface AppInstance {
  url: string;
  pid: number;
  /** Resolves with the exit code when the process ends. */
  exited: Promise<number | null>;
  /** Everything the process printed, for diagnosing a failure. */
  output(): string;
  /** What it printed from `position` on (0: from the start), and the position after that. */
  outputSince(position: number): { text: string; next: number };
  stop(): Promise<void>;
}

/** Settings shared by every instance of one deployment: same database, secrets and Discord. */
export function deploymentEnv(options: { appUrl: string; databaseUrl: string; emulator: RunningEmulator }) {
  return {
    NODE_ENV: "production",
    APP_URL: options.appUrl,
    DATABASE_URL: options.databaseUrl,
    SESSION_SECRET: randomBytes(32).toString("base64"),
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    DISCORD_CLIENT_ID: options.emulator.clientId,
    DISCORD_CLIENT_SECRET: options.emulator.clientSecret,
    DISCORD_BASE_URL: options.emulator.url,
    DISCORD_CDN_URL: options.emulator.url,
    DISCORD_PUBLIC_KEY: options.emulator.publicKeyHex,
  };
}

let built: Promise<void> | undefined;

/** The production build served by remix-serve, as one instance behind a load balancer. */
export async function startAppInstance(
  port: number,
  env: Record<string, string>,
  nodeFlags: readonly string[] = [],
): Promise<AppInstance> {
  // Instances started together share one build.
  built ??= ensureProductionBuild(root);
  await built;
  const output = new OutputTail();
  const { command, args } = appCommand(root, "start", nodeFlags);
  const child: ChildProcess = spawn(command, args, {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // The tail is enough to diagnose a failure; a benchmark's request log is not kept whole.
  child.stdout!.on("data", output.add);
  child.stderr!.on("data", output.add);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilHealthy(`${url}/healthz`, child, 60_000);
  } catch (error) {
    await stopChild(child);
    throw new Error(`${(error as Error).message}\n${output.toString()}`);
  }
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    url,
    pid: child.pid!,
    exited,
    output: () => output.toString(),
    outputSince: (position) => output.since(position),
    stop: () => stopChild(child),
  };
}

/**
 * Starts the production build expecting it to refuse (exit before it is healthy), and
 * returns its exit code and what it printed. `plain` serves it with remix-serve alone,
 * without server/preload.cjs.
 */
export async function refusedStart(
  env: Record<string, string>,
  options: { plain?: boolean } = {},
): Promise<{ code: number | null; output: string }> {
  built ??= ensureProductionBuild(root);
  await built;
  const port = await freePort();
  const { command, args } = options.plain
    ? { command: process.execPath, args: ["./node_modules/@remix-run/serve/dist/cli.js", "./build/index.js"] }
    : appCommand(root, "start");
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), 45_000);
  const code = await new Promise<number | null>((resolve) => child.once("exit", (exitCode) => resolve(exitCode)));
  clearTimeout(timer);
  return { code, output };
}

/**
 * "session=…": the session cookie a deployment's instances accept for a session secret
 * (made without a login, for tests that need many sessions at once).
 */
export async function sessionCookieFor(env: Record<string, string>, secret: string): Promise<string> {
  const cookie = createCookie(new URL(env.APP_URL!).protocol === "https:" ? "__Host-session" : "session", {
    secrets: env.SESSION_SECRET!.split(","),
  });
  return (await cookie.serialize(secret)).split(";")[0]!;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface HttpLogin {
  /** The session cookie, "name=value". */
  cookie: string;
  /** The OAuth code and state that went through the browser (to look for in logs). */
  code: string;
  state: string;
}

/** Logs in over HTTP as a browser would: app → emulator consent → callback. */
export async function logInOverHttp(
  appUrl: string,
  emulator: EmulatorAt,
  accountId: string,
  /**
   * Sent with both of the app's requests, as a client or proxy might add them (an Origin
   * here stands for the deployment's public one when `appUrl` is one instance of several).
   */
  extraHeaders: Record<string, string> = {},
): Promise<HttpLogin> {
  const start = await fetch(`${appUrl}/auth/discord`, {
    method: "POST",
    headers: { Origin: new URL(appUrl).origin, ...extraHeaders },
    redirect: "manual",
  });
  const loginCookie = firstCookie(start);
  const authorize = new URL(start.headers.get("Location")!);
  const consent = new URLSearchParams(authorize.searchParams);
  consent.set("account_id", accountId);
  consent.set("action", "authorize");
  const approved = await fetch(`${emulator.url}/oauth2/authorize`, {
    method: "POST",
    body: consent,
    redirect: "manual",
  });
  const callbackUrl = new URL(approved.headers.get("Location")!);
  const callback = await fetch(callbackUrl, { headers: { ...extraHeaders, Cookie: loginCookie }, redirect: "manual" });
  if (callback.status !== 302 || callback.headers.get("Location") !== "/dashboard") {
    throw new Error(`login failed: ${callback.status} ${callback.headers.get("Location")}`);
  }
  return {
    cookie: firstCookie(callback),
    code: callbackUrl.searchParams.get("code")!,
    state: callbackUrl.searchParams.get("state")!,
  };
}
