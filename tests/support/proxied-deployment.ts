import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import https from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startEmulator, type RunningEmulator } from "../../emulator/server";
import { ensureProductionBuild } from "../../launcher/build";
import { stopChild, waitUntilHealthy } from "../../launcher/processes";
import { deploymentEnv, freePort } from "./app-instances";
import { OutputTail } from "./output-tail";
import { parseSetCookie } from "./set-cookie";
import { createTestDatabase, type TestDatabase } from "./test-database";

// docs/deploy.md, done on one machine: the release step, N instances started as the guide
// starts them (the launcher, with real settings), and Caddy with deploy/Caddyfile in front.

const root = fileURLToPath(new URL("../..", import.meta.url));

/** One instance, started by `npm start`'s own command, as the systemd unit in the guide does. */
export class Instance {
  private child: ChildProcess | undefined;
  private readonly log = new OutputTail();
  private readonly served: RequestLine[] = [];
  starts = 0;

  constructor(
    readonly port: number,
    private env: Record<string, string>,
  ) {}

  /** Changes its settings from its next start on, as an operator edits the settings file. */
  configure(changes: Record<string, string>): void {
    this.env = { ...this.env, ...changes };
  }

  /** Where the proxy reaches it (and a test may, around the proxy). */
  get url(): string {
    return `http://[::1]:${this.port}`;
  }

  async start(): Promise<void> {
    // As the guide's unit starts it: the settings from the settings file (written in the
    // guide's own layout, read with systemd's rules), PORT from the unit.
    const settingsFile = path.join(tmpdir(), `discord-login-${process.pid}-${this.port}.env`);
    writeFileSync(settingsFile, settingsFileFor(this.env), { mode: 0o600 });
    const inherited: NodeJS.ProcessEnv = { ...process.env };
    for (const name of Object.keys(this.env)) delete inherited[name];
    const child = spawn(process.execPath, ["launcher/run.mjs", "launcher/main", "start"], {
      cwd: root,
      env: { ...inherited, SETTINGS_FILE: settingsFile, PORT: String(this.port) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    this.starts += 1;
    let partial = "";
    child.stdout.on("data", (chunk: Buffer) => {
      this.log.add(chunk);
      const lines = (partial + chunk.toString()).split("\n");
      partial = lines.pop()!;
      for (const line of lines) {
        if (!line.startsWith("{") || !line.includes('"msg":"request"')) continue;
        const { method, path: requestPath, status } = JSON.parse(line) as RequestLine;
        if (requestPath !== "/healthz") this.served.push({ method, path: requestPath, status });
      }
    });
    child.stderr.on("data", this.log.add);
    try {
      await waitUntilHealthy(`${this.url}/healthz`, child, 60_000);
    } catch (error) {
      await stopChild(child);
      throw new Error(`${(error as Error).message}\n${this.log.toString()}`);
    }
  }

  /** SIGTERM, as `systemctl stop` sends it; resolves when the launcher has exited, with its code. */
  async stop(): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    await stopChild(child, 15_000);
    return exited;
  }

  /**
   * `systemctl stop` with systemd's default KillMode=control-group: SIGTERM to every process
   * of the unit at once (the launcher and the app it started), and SIGKILL to what is left
   * after TimeoutStopSec (30 s in the guide's unit). Resolves with the launcher's exit code.
   */
  async stopAsSystemd(timeoutStopMs = 30_000): Promise<number | null> {
    const child = this.child;
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    // The app first: the launcher's own SIGTERM, passed on, then reaches an app that has
    // already heard systemd's (the order in which a second signal cut requests; the
    // other order can merge the two into one).
    const unit = [...descendants(child.pid), child.pid];
    for (const pid of unit) signal(pid, "SIGTERM");
    const timer = setTimeout(() => {
      for (const pid of unit) signal(pid, "SIGKILL");
    }, timeoutStopMs);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  }

  output(): string {
    return this.log.toString();
  }

  /** Every request it logged since the test began (JSON lines), health checks left out. */
  requests(): readonly RequestLine[] {
    return this.served;
  }
}

/**
 * deploy/discord-login.env with these values: each setting the guide's file has keeps its
 * place (comments included), the others follow; values are written as the guide writes
 * them, unquoted.
 */
function settingsFileFor(settings: Record<string, string>): string {
  const template = readFileSync(path.join(root, "deploy/discord-login.env"), "utf8").split("\n");
  const written = new Set<string>();
  const lines = template.flatMap((line) => {
    const name = /^([A-Z_][A-Z0-9_]*)=/.exec(line)?.[1];
    if (!name) return [line];
    if (!(name in settings)) return [];
    written.add(name);
    return [`${name}=${settings[name]}`];
  });
  const rest = Object.entries(settings).filter(([name]) => !written.has(name));
  return [
    ...lines.filter((line, index) => line !== "" || index < lines.length - 1),
    ...rest.map(([n, v]) => `${n}=${v}`),
    "",
  ].join("\n");
}

/** Every process started under `pid`, as systemd's control group holds them (read from /proc). */
function descendants(pid: number): number[] {
  const children = readdirSync(`/proc/${pid}/task`).flatMap((task) =>
    readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").split(" ").filter(Boolean).map(Number),
  );
  return children.flatMap((child) => [child, ...descendants(child)]);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

interface RequestLine {
  method: string;
  path: string;
  status: number;
}

export interface ProxiedDeployment {
  /** https://localhost:<port>: APP_URL, served by Caddy. */
  appUrl: string;
  database: TestDatabase;
  emulator: RunningEmulator;
  instances: Instance[];
  caddyVersion: string;
  /** What Caddy printed (its JSON access log included). */
  caddyOutput(): string;
  /** Caddy's local CA, for clients that should trust the site's certificate. */
  caCertificate: string;
  /** The settings every instance started with (the guide's settings file). */
  env: Record<string, string>;
  /** GET through Caddy over https, trusting its CA: status, headers and body. */
  get(pathname: string, headers?: Record<string, string>): Promise<ProxiedResponse>;
  /** Any request through Caddy over https, as a form would send it when there is a body. */
  request(method: string, pathname: string, headers?: Record<string, string>, body?: string): Promise<ProxiedResponse>;
  stop(): Promise<void>;
}

export interface ProxiedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** The caddy binary: CADDY_PATH, else the one on PATH (Debian's package). */
export function caddyPath(): string {
  const candidate = process.env.CADDY_PATH ?? "caddy";
  const found = spawnSync(candidate, ["version"], { encoding: "utf8" });
  if (found.status !== 0) {
    throw new Error(
      `Caddy is needed for the deployment tests (${candidate} did not run): apt-get install caddy, or set CADDY_PATH`,
    );
  }
  return candidate;
}

export async function startProxiedDeployment(
  options: { instances?: number; env?: Record<string, string> } = {},
): Promise<ProxiedDeployment> {
  const stops: Array<() => Promise<unknown>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop();
  };
  try {
    const caddy = caddyPath();
    await ensureProductionBuild(root);
    // Unmigrated: the release step below migrates it, as in the guide.
    const database = await createTestDatabase({ migrate: false });
    stops.push(() => database.destroy());
    const httpsPort = await freePort();
    const appUrl = `https://localhost:${httpsPort}`;
    // Discord as a real one: an explicit client id, secret and public key, https redirect.
    const emulator = await startEmulator({ port: 0, redirectUris: [`${appUrl}/auth/discord/callback`] });
    stops.push(() => emulator.close());
    // The guide's settings file. The instances listen on IPv6 loopback and the browser
    // reaches Caddy over IPv4, so the proxy's address (::1) and the browser's (127.0.0.1)
    // differ, as they do in a real deployment.
    const env: Record<string, string> = {
      ...deploymentEnv({ appUrl, databaseUrl: database.url, emulator }),
      TRUST_PROXY: "1",
      HOST: "::1",
      DATABASE_POOL_SIZE: "5",
      ...options.env,
    };

    // The release step, once, before any instance starts.
    await run(process.execPath, ["launcher/run.mjs", "scripts/migrate"], env);

    const instances: Instance[] = [];
    for (let index = 0; index < (options.instances ?? 2); index++) {
      instances.push(new Instance(await freePort(), env));
    }
    await Promise.all(instances.map((instance) => instance.start()));
    stops.push(() => Promise.all(instances.map((instance) => instance.stop())));

    const caddyHome = await mkdtemp(path.join(tmpdir(), "caddy-"));
    stops.push(() => rm(caddyHome, { recursive: true, force: true }));
    const caddyEnv = {
      SITE_ADDRESS: appUrl,
      UPSTREAMS: instances.map((instance) => `[::1]:${instance.port}`).join(" "),
      CADDY_TLS: "internal",
      CADDY_ADMIN: `127.0.0.1:${await freePort()}`,
      CADDY_HTTP_PORT: String(await freePort()),
    };
    const caddyLog = new OutputTail(4_000_000);
    const proxy = spawn(caddy, ["run", "--config", path.join(root, "deploy/Caddyfile"), "--adapter", "caddyfile"], {
      // Caddy keeps its certificates and CA under XDG_DATA_HOME: a directory of this run's.
      env: { ...process.env, ...caddyEnv, HOME: caddyHome, XDG_DATA_HOME: caddyHome, XDG_CONFIG_HOME: caddyHome },
      stdio: ["ignore", "pipe", "pipe"],
    });
    proxy.stdout.on("data", caddyLog.add);
    proxy.stderr.on("data", caddyLog.add);
    stops.push(() => stopChild(proxy));

    const rootCertificate = path.join(caddyHome, "caddy/pki/authorities/local/root.crt");
    const caCertificate = await waitFor(
      async () => (existsSync(rootCertificate) ? readFile(rootCertificate, "utf8") : undefined),
      proxy,
      () => caddyLog.toString(),
    );
    const agent = new https.Agent({ ca: caCertificate, keepAlive: true, maxSockets: 32 });
    stops.push(async () => agent.destroy());
    const request = (method: string, pathname: string, headers: Record<string, string> = {}, body?: string) =>
      httpsRequest(agent, method, new URL(pathname, appUrl), headers, body);
    const get = (pathname: string, headers: Record<string, string> = {}) => request("GET", pathname, headers);
    // Ready once Caddy has a certificate and sends pages on (/healthz is not passed on).
    await waitFor(
      async () => {
        const answers = await Promise.all(instances.map(() => get("/login").catch(() => undefined)));
        return answers.every((answer) => answer?.status === 200) ? true : undefined;
      },
      proxy,
      () => caddyLog.toString(),
    );
    const caddyVersion = spawnSync(caddy, ["version"], { encoding: "utf8" }).stdout.trim();
    return {
      appUrl,
      database,
      emulator,
      instances,
      caddyVersion,
      caddyOutput: () => caddyLog.toString(),
      caCertificate,
      env,
      get,
      request,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function httpsRequest(
  agent: https.Agent,
  method: string,
  url: URL,
  headers: Record<string, string>,
  body?: string,
): Promise<ProxiedResponse> {
  return new Promise((resolve, reject) => {
    const request = https.request(url, { agent, method, headers, timeout: 10_000 }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
      response.on("error", reject);
    });
    request.on("timeout", () => request.destroy(new Error(`no answer from ${url.pathname} within 10 s`)));
    request.on("error", reject);
    request.end(body);
  });
}

async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  process: ChildProcess,
  output: () => string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (process.exitCode !== null) throw new Error(`caddy exited (${process.exitCode}):\n${output()}`);
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`caddy was not ready within ${timeoutMs / 1000} s:\n${output()}`);
}

/** One of the scripts the guide runs (npm run db:migrate, tokens:reseal…), in the tree the instances run: what it printed. */
export function runScript(script: string, env: Record<string, string>, args: string[] = []): Promise<string> {
  return run(process.execPath, ["launcher/run.mjs", script, ...args], env);
}

function run(command: string, args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = "";
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${args.join(" ")} exited ${code}:\n${output}`)),
    );
  });
}

/**
 * A whole login through Caddy, as a browser without JavaScript makes it, with the emulator's
 * consent answered for `accountId`: the session cookie ("name=value") the callback set.
 */
export async function logInThroughProxy(deployment: ProxiedDeployment, accountId: string): Promise<string> {
  const form = { Origin: deployment.appUrl, "Content-Type": "application/x-www-form-urlencoded" };
  const start = await deployment.request("POST", "/auth/discord", form, "");
  if (start.status !== 302) throw new Error(`POST /auth/discord answered ${start.status}`);
  const authorize = new URL(String(start.headers.location));
  const consent = new URLSearchParams(authorize.searchParams);
  consent.set("account_id", accountId);
  consent.set("action", "authorize");
  const approved = await fetch(`${deployment.emulator.url}/oauth2/authorize`, {
    method: "POST",
    body: consent,
    redirect: "manual",
  });
  const callback = new URL(approved.headers.get("Location")!);
  const finished = await deployment.request("GET", `${callback.pathname}${callback.search}`, {
    Cookie: cookiePairs(start).join("; "),
  });
  if (finished.status !== 302 || finished.headers.location !== "/dashboard") {
    throw new Error(`login through the proxy failed: ${finished.status} ${String(finished.headers.location)}`);
  }
  const [session] = cookiePairs(finished);
  if (!session) throw new Error("the login set no session cookie");
  return session;
}

/** "name=value" of every cookie a response sets. */
function cookiePairs(response: ProxiedResponse): string[] {
  const lines = response.headers["set-cookie"];
  return (Array.isArray(lines) ? lines : lines ? [lines] : []).map((line) => parseSetCookie(line).pair);
}
