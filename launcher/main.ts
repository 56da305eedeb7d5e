import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { formatProblems, parseConfig } from "~/config.server";
import { appCommand } from "./app-command";
import { ensureProductionBuild } from "./build";
import { applyMigrations, provideDatabase } from "./database";
import { provideDiscord } from "./discord";
import { isSet, loadEnvFile, nodeEnvFor, parseMode, previewConfig, type Environment, type Mode } from "./environment";
import { failure, say, status } from "./log";
import { stopChild, waitUntilHealthy } from "./processes";
import { loadOrCreateThrowawaySecrets } from "./secrets";
import { Shutdown } from "./shutdown";

// `npm start` and `npm run dev`: gives a machine with nothing installed everything the
// app needs (a database, Discord, secrets), runs migrations, then runs the app and
// stops it all cleanly on Ctrl-C or SIGTERM. The app itself only reads its environment.

const root = fileURLToPath(new URL("..", import.meta.url));
const shutdown = new Shutdown();
let stopping = false;

async function main(mode: Mode): Promise<number> {
  const envFile = loadEnvFile(root);
  if (envFile) status("config", `read ${path.relative(root, envFile)}`);
  const preview = previewConfig(process.env, mode);
  if (!preview.ok) {
    console.error(formatProblems(preview.problems));
    return 1;
  }
  const { appUrl, port } = preview.config;

  const env: Environment = { ...process.env, NODE_ENV: nodeEnvFor(mode) };
  Object.assign(env, provideSecrets(env));
  env.DATABASE_URL = await provideDatabase(env, root, shutdown);
  await applyMigrations(env.DATABASE_URL);
  Object.assign(env, await provideDiscord(env, { url: appUrl, port }, shutdown));
  const final = parseConfig(env);
  if (!final.ok) throw new Error(formatProblems(final.problems));

  if (mode === "start") await ensureProductionBuild(root);
  const { command, args } = appCommand(root, mode);
  const app = spawn(command, args, {
    cwd: root,
    env: { ...env, NODE_ENV: nodeEnvFor(mode), PORT: String(port) },
    stdio: "inherit",
    // Its own process group: Ctrl-C reaches the launcher, which stops the app in order
    // (SIGTERM, then the database), instead of racing the terminal's signal.
    detached: true,
  });
  const appExited = new Promise<number>((resolve) => app.once("exit", (code) => resolve(code ?? 1)));
  shutdown.add("app", () => stopChild(app));
  // A launcher killed outright must not leave the app running behind it.
  process.once("exit", () => app.kill("SIGTERM"));

  await waitUntilHealthy(`http://127.0.0.1:${port}/healthz`, app, mode === "start" ? 60_000 : 180_000);
  const serving = mode === "start" ? "production build, remix-serve" : "development, rebuilds on change";
  status("app", `ready at ${appUrl} (${serving}); press Ctrl-C to stop everything`);

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
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) {
      if (Date.now() - firstSignalAt < 1_000) return;
      failure("stopping now without waiting (second signal)");
      process.exit(130);
    }
    stopping = true;
    firstSignalAt = Date.now();
    say(`${signal} received, stopping`);
    void shutdown.run().then(() => {
      say("stopped");
      process.exit(0);
    });
  });
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
