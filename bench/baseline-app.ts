import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { REMIX_CLI_ENV } from "../launcher/app-command";
import { runToCompletion, stopChild, waitUntilHealthy } from "../launcher/processes";

const root = fileURLToPath(new URL("..", import.meta.url));

export interface BaselineApp {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * The stack's own ceiling (bench/baseline): a minimal Remix app (a root, one page, one
 * constant-JSON resource route) built by the same Remix compiler into a folder of its own,
 * served by the same remix-serve on the same Node, with nothing of this app's.
 */
export async function startBaselineApp(port: number): Promise<BaselineApp> {
  const folder = mkdtempSync(path.join(tmpdir(), "bench-baseline-"));
  cpSync(path.join(root, "bench", "baseline"), folder, { recursive: true });
  symlinkSync(path.join(root, "node_modules"), path.join(folder, "node_modules"), "dir");
  cpSync(path.join(root, "package.json"), path.join(folder, "package.json"));
  await runToCompletion(path.join(root, "node_modules", ".bin", "remix"), ["build"], {
    cwd: folder,
    env: { ...process.env, ...REMIX_CLI_ENV, NODE_ENV: "production" },
    stdio: "ignore",
  });
  const child = spawn(
    process.execPath,
    [path.join(root, "node_modules/@remix-run/serve/dist/cli.js"), "build/index.js"],
    {
      cwd: folder,
      env: { ...process.env, NODE_ENV: "production", PORT: String(port), HOST: "127.0.0.1" },
      stdio: "ignore",
    },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitUntilHealthy(`${url}/api/constant`, child, 60_000);
  return {
    url,
    pid: child.pid!,
    async stop() {
      await stopChild(child);
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
