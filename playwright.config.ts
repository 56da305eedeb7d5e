import { execFileSync } from "node:child_process";
import { defineConfig, devices } from "@playwright/test";
import { CHROMIUM_ARGS, chromiumExecutable } from "./tests/support/chromium";

// Playwright loads this file in the runner and again in every worker; the ports chosen
// by the first load reach the others (and the global setup) through the environment.
process.env.E2E_PORT ??= freePort();
process.env.E2E_EMULATOR_PORT ??= freePort();

export default defineConfig({
  testDir: "tests/e2e",
  globalSetup: "./tests/e2e/global-setup.ts",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  forbidOnly: true,
  retries: 0,
  workers: 2,
  reporter: [["list"]],
  outputDir: "test-results/e2e",
  use: {
    baseURL: `http://localhost:${process.env.E2E_PORT}`,
    trace: "retain-on-failure",
    launchOptions: { executablePath: chromiumExecutable(), args: [...CHROMIUM_ARGS] },
  },
  projects: [
    { name: "javascript", use: { ...devices["Desktop Chrome"], javaScriptEnabled: true } },
    { name: "no-javascript", use: { ...devices["Desktop Chrome"], javaScriptEnabled: false } },
  ],
});

function freePort(): string {
  const script =
    "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})";
  return execFileSync(process.execPath, ["-e", script], { encoding: "utf8" });
}
