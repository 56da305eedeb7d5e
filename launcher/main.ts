import { spawn } from "node:child_process";
import path from "node:path";
import { formatProblems, parseConfig } from "~/config.server";
import { packageRoot } from "~/utils/package-root.server";
import { appCommand, REMIX_CLI_ENV } from "./app-command";
import { applyMigrations, provideDatabase, waitForDatabase } from "./database";
import { provideDiscord } from "./discord";
import {
  databaseWaitSeconds,
  isSet,
  loadEnvFile,
  nodeEnvFor,
  parseMode,
  previewConfig,
  type Environment,
  type Mode,
} from "./environment";
import { failure, say, status } from "./log";
import { writesJsonLines } from "./log-line.mjs";
import { checkNodeVersion } from "./node-version.mjs";
import { stopChild, waitUntilHealthy } from "./processes";
import { loadOrCreateThrowawaySecrets } from "./secrets";
import { Shutdown, type StepTiming } from "./shutdown";

// `npm start` and `npm run dev`: gives a machine with nothing installed everything the
// app needs (a database, Discord, secrets), runs migrations, then runs the app and
// stops it all cleanly on Ctrl-C or SIGTERM. The app itself only reads its environment.
// `npm start` runs this compiled (build/launcher/main.js, through launcher/run.mjs, which
// builds first when needed); `npm run dev` runs it from source with tsx.

const root = packageRoot(import.meta.url);
const LOOPBACK = "127.0.0.1";
/**
 * How long the app may take to answer what it accepted before it is killed: within the
 * 30 s a service manager allows a stop (systemd's TimeoutStopSec in docs/deploy.md), with
 * time left for the launcher to stop the rest and exit cleanly.
 */
const APP_STOP_GRACE_MS = 25_000;
const shutdown = new Shutdown();
let stopping = false;

async function main(mode: Mode): Promise<number> {
  if (mode === "dev") checkNodeVersion(); // npm start and the scripts check in launcher/run.mjs
  const envFile = loadEnvFile(root);
  if (envFile) status("config", `read ${path.relative(root, envFile)}`);
  const preview = previewConfig(process.env, mode);
  if (!preview.ok) {
    // A log collector gets one line per problem; a terminal, the block .env.example explains.
    if (writesJsonLines()) for (const problem of preview.problems) failure(`Invalid configuration: ${problem}`);
    else console.error(formatProblems(preview.problems));
    return 1;
  }
  const { appUrl, port } = preview.config;

  const env: Environment = { ...process.env, NODE_ENV: nodeEnvFor(mode) };
  const throwaway = provideSecrets(env);
  Object.assign(env, throwaway);
  const ownDatabase = isSet(env.DATABASE_URL);
  const waitSeconds = databaseWaitSeconds(env);
  env.DATABASE_URL = await provideDatabase(env, root, shutdown);
  if (ownDatabase) await waitForDatabase(env.DATABASE_URL, waitSeconds);
  await applyMigrations(env.DATABASE_URL);
  const emulated = await provideDiscord(env, { url: appUrl, port }, shutdown);
  Object.assign(env, emulated);
  const final = parseConfig(env);
  if (!final.ok) throw new Error(formatProblems(final.problems));
  // The emulator and throwaway secrets let anyone who can reach the app in: they are for
  // this machine only, so the app then listens on loopback whatever HOST says.
  const privateMode = Object.keys(throwaway).length > 0 || Object.keys(emulated).length > 0;
  if (privateMode) {
    if (isSet(env.HOST) && env.HOST !== LOOPBACK) {
      status("app", `HOST=${env.HOST} ignored: with the emulator or throwaway secrets, only this machine may connect`);
    }
    env.HOST = LOOPBACK;
  }

  const { command, args } = appCommand(root, mode);
  const listening = isSet(env.HOST) ? `${env.HOST}:${port}` : `port ${port} on every interface`;
  status("app", `starting on ${listening}, waiting for it to answer /healthz…`);
  const app = spawn(command, args, {
    cwd: root,
    env: { ...env, ...(mode === "dev" ? REMIX_CLI_ENV : {}), NODE_ENV: nodeEnvFor(mode), PORT: String(port) },
    stdio: "inherit",
    // Its own process group: Ctrl-C reaches the launcher, which stops the app in order
    // (SIGTERM, then the database), instead of racing the terminal's signal.
    detached: true,
  });
  const appExited = new Promise<number>((resolve) => app.once("exit", (code) => resolve(code ?? 1)));
  shutdown.add("app", () => stopChild(app, APP_STOP_GRACE_MS));
  // A launcher leaving without its shutdown (a second Ctrl-C, a crash) takes the app along.
  process.once("exit", () => app.kill("SIGKILL"));

  const healthHost = isSet(env.HOST) && env.HOST !== "0.0.0.0" && env.HOST !== "::" ? env.HOST : LOOPBACK;
  await waitUntilHealthy(
    `http://${healthHost.includes(":") ? `[${healthHost}]` : healthHost}:${port}/healthz`,
    app,
    mode === "start" ? 60_000 : 180_000,
    (waited) => status("app", `still starting (${waited} s), waiting for /healthz…`),
  );
  const serving = mode === "start" ? "production build, remix-serve" : "development, rebuilds on change";
  const reach = privateMode ? ", reachable from this machine only" : "";
  status("app", `ready at ${appUrl} (${serving}${reach}); press Ctrl-C to stop everything`);

  const code = await appExited;
  if (stopping) return new Promise(() => {}); // the signal handler finishes the shutdown
  failure(`the app exited with code ${code}; stopping the rest`);
  return code === 0 ? 1 : code;
}

function provideSecrets(env: Environment): Environment {
  if (isSet(env.SESSION_SECRET) && isSet(env.TOKEN_ENCRYPTION_KEY)) return {};
  // previewConfig has already refused to go on where throwaway secrets are not allowed.
  const file = path.join(root, ".data", "secrets.json");
  const secrets = loadOrCreateThrowawaySecrets(file);
  status(
    "secrets",
    `throwaway, kept in .data/secrets.json; set SESSION_SECRET and TOKEN_ENCRYPTION_KEY for production`,
  );
  return {
    SESSION_SECRET: isSet(env.SESSION_SECRET) ? env.SESSION_SECRET : secrets.SESSION_SECRET,
    TOKEN_ENCRYPTION_KEY: isSet(env.TOKEN_ENCRYPTION_KEY) ? env.TOKEN_ENCRYPTION_KEY : secrets.TOKEN_ENCRYPTION_KEY,
  };
}

// One Ctrl-C can arrive more than once: the terminal signals the whole process group,
// and npm and tsx each forward what they receive. Repeats within a second are the same
// request; a later one means "stop now".
let firstSignalAt = 0;
function stop(reason: string): void {
  if (stopping) {
    if (Date.now() - firstSignalAt < 1_000) return;
    failure("stopping now without waiting (second signal)");
    process.exit(130);
  }
  stopping = true;
  firstSignalAt = Date.now();
  say(`${reason}, stopping (again to stop at once)`);
  void shutdown.run().then((timings) => {
    say(`stopped in ${describeStop(timings)}`);
    process.exit(0);
  });
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => stop(`${signal} received`));

// A SIGTERM sent to npm alone reaches the shell npm runs us in, which dies without passing
// it on: the launcher would run on, orphaned. Being orphaned is noticed instead (the parent
// changes), and means the same as the signal.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) stop("the process that started the launcher has gone");
}, 500).unref();

/** "0.31 s (app 0.25 s, embedded Postgres 0.03 s, …)": where the time of a stop went. */
function describeStop(timings: StepTiming[]): string {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const total = timings.reduce((sum, step) => sum + step.ms, 0);
  return `${seconds(total)} (${timings.map((step) => `${step.name} ${seconds(step.ms)}`).join(", ")})`;
}

main(parseMode(process.argv[2])).then(
  async (code) => {
    await shutdown.run();
    process.exit(code);
  },
  async (error: unknown) => {
    failure(error instanceof Error ? error.message : String(error));
    await shutdown.run();
    process.exit(1);
  },
);
