import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

export interface RunningLauncher {
  /** The pid of `npm start`, which leads the process group a terminal would signal. */
  pid: number;
  appUrl: string;
  emulatorUrl: string;
  /** Everything printed so far. */
  output(): string;
  /** Resolves with npm's exit code, or the signal that ended it (npm ends by SIGINT on Ctrl-C). */
  exited: Promise<number | NodeJS.Signals>;
  /** Ctrl-C: SIGINT to the whole process group, as a terminal sends it. */
  interrupt(): void;
}

/**
 * `npm start` in a process group of its own, as in a terminal, resolved once the launcher
 * says the app is ready (or, with `expectFailure`, once it has exited).
 */
export function startLauncher(
  env: Record<string, string>,
  options: { expectFailure?: boolean; onOutput?: (everything: string) => void } = {},
): Promise<RunningLauncher> {
  const child = spawn("npm", ["start", "--silent"], {
    cwd: root,
    // Set, even empty, so a developer's .env cannot point the launcher at real services.
    env: { ...process.env, DATABASE_URL: "", DISCORD_CLIENT_ID: "", DISCORD_CLIENT_SECRET: "", APP_URL: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const exited = new Promise<number | NodeJS.Signals>((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? signal!)),
  );
  return new Promise((resolve, reject) => {
    const running = (appUrl: string, emulatorUrl: string): RunningLauncher => ({
      pid: child.pid!,
      appUrl,
      emulatorUrl,
      output: () => output,
      exited,
      interrupt: () => process.kill(-child.pid!, "SIGINT"),
    });
    const timer = setTimeout(() => reject(new Error(`the launcher did not start within 90 s:\n${output}`)), 90_000);
    const onOutput = (chunk: Buffer) => {
      output += chunk.toString();
      options.onOutput?.(output);
      const ready = /\[launcher\] app: ready at (\S+)/.exec(output);
      if (!ready) return;
      clearTimeout(timer);
      const emulator = /\[launcher\] discord: emulator at (\S+)/.exec(output);
      resolve(running(ready[1]!, emulator?.[1] ?? ""));
    };
    child.stdout.on("data", onOutput);
    child.stderr.on("data", onOutput);
    void exited.then(() => {
      clearTimeout(timer);
      if (options.expectFailure) resolve(running("", ""));
      else reject(new Error(`the launcher exited before it was ready:\n${output}`));
    });
  });
}
