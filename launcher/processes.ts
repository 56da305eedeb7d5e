import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";

/** Runs a command with the terminal attached and resolves when it succeeds. */
export function runToCompletion(command: string, args: string[], options: SpawnOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: "inherit", ...options });
    child.once("error", reject);
    child.once("exit", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} failed (${signal ?? `exit ${code}`})`)),
    );
  });
}

/** Asks a child to stop with SIGTERM; after `graceMs` it is killed. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * Polls `url` until it answers 200. Rejects when the child exits first or time runs
 * out, so a crashing app is reported instead of waited for. `onSlow` hears every
 * five seconds of waiting, so a long wait is never silent.
 */
export async function waitUntilHealthy(
  url: string,
  child: ChildProcess,
  timeoutMs: number,
  onSlow?: (waitedSeconds: number) => void,
): Promise<void> {
  const started = Date.now();
  const deadline = started + timeoutMs;
  let nextReport = started + 5_000;
  while (Date.now() < deadline) {
    if (onSlow && Date.now() >= nextReport) {
      onSlow(Math.round((Date.now() - started) / 1000));
      nextReport += 5_000;
    }
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the app exited (${child.signalCode ?? `code ${child.exitCode}`}) before it became healthy`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the app did not answer ${url} within ${timeoutMs / 1000} s`);
}
