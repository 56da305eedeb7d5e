import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { control, inFlightOn, seededId } from "../emulator/testing/harness";
import { freePort, logInOverHttp } from "../tests/support/app-instances";
import { startLauncher, type RunningLauncher } from "../tests/support/launcher-process";

// `npm start` as a person runs it: a launcher with its embedded Postgres in a data folder,
// the emulator and the app, stopped with Ctrl-C (SIGINT to the whole process group) and
// started again at once. What is measured is reported, never asserted against a clock.

const dataRoot = mkdtempSync(path.join(tmpdir(), "launcher-"));
afterAll(() => rmSync(dataRoot, { recursive: true, force: true }));

// Given, so the test never writes the repository's own .data/secrets.json; the same for
// every launcher here, as they share one data folder (which remembers the secrets).
const secrets = {
  SESSION_SECRET: randomBytes(32).toString("base64"),
  TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
};

async function launcherEnv() {
  return {
    PORT: String(await freePort()),
    EMULATOR_PORT: String(await freePort()),
    EMBEDDED_DATABASE_DIR: path.join(dataRoot, "pglite"),
    ...secrets,
  };
}

/** Every process of the launcher's group still alive, by pid. */
function aliveIn(group: number): number[] {
  const rows = execFileSync("ps", ["-eo", "pid=,pgid="], { encoding: "utf8" }).trim().split("\n");
  return rows
    .map((row) => row.trim().split(/\s+/).map(Number))
    .filter(([, pgid]) => pgid === group)
    .map(([pid]) => pid!);
}

/** Also the app, which runs in a process group of its own (so a terminal's Ctrl-C reaches the launcher first). */
function processTree(launcher: RunningLauncher): number[] {
  const rows = execFileSync("ps", ["-eo", "pid=,ppid="], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((row) => row.trim().split(/\s+/).map(Number));
  const below = (pid: number): number[] =>
    rows.filter(([, ppid]) => ppid === pid).flatMap(([child]) => [child!, ...below(child!)]);
  return [...new Set([...aliveIn(launcher.pid), ...below(launcher.pid)])];
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// A first start creates the embedded Postgres, and a stop may take its whole 25 s: the
// tests that start a launcher get the time startLauncher allows (90 s) and a stop.
describe("the launcher", () => {
  it("stops everything on Ctrl-C, after a few page views", async () => {
    const launcher = await startLauncher(await launcherEnv());
    for (const page of ["/", "/login", "/dashboard"]) await (await fetch(`${launcher.appUrl}${page}`)).text();
    const tree = processTree(launcher);
    expect(tree.length).toBeGreaterThanOrEqual(3); // npm-like wrapper, launcher, app

    const signalledAt = performance.now();
    launcher.interrupt();
    await vi.waitFor(() => expect(tree.filter(isAlive)).toEqual([]), { timeout: 25_000, interval: 10 });
    const stopSeconds = (performance.now() - signalledAt) / 1000;

    expect([0, "SIGINT"]).toContain(await launcher.exited);
    expect(launcher.output()).toMatch(/\[launcher\] stopped in [\d.]+ s \(app/);
    expect(existsSync(path.join(dataRoot, "pglite.lock"))).toBe(false);
    console.log(
      `[launcher] Ctrl-C to the last of ${tree.length} processes gone: ${stopSeconds.toFixed(2)} s; ` +
        launcher.output().match(/stopped in .*/)![0],
    );
  }, 120_000);

  it("started again while the previous one is still stopping: waits for it, then starts", async () => {
    // The app waits for Discord longer than the page below takes, so the page is served whole.
    const env = { ...(await launcherEnv()), DISCORD_TIMEOUT_MS: "20000" };
    const first = await startLauncher(env);
    const firstEmulator = { url: first.emulatorUrl };
    // A page that takes a while keeps the first launcher stopping: Discord answers in 10 s,
    // time enough for the second launcher to start its process and find the data folder
    // held, even on a loaded machine (with 2 s, a slow start found it already released).
    const { cookie } = await logInOverHttp(first.appUrl, firstEmulator, seededId("nova"));
    await control(firstEmulator, "POST", "/faults", { route: "guilds", count: 1, delay_ms: 10_000 });
    const inFlight = fetch(`${first.appUrl}/servers`, { headers: { Cookie: cookie } });
    await vi.waitFor(async () => expect(await inFlightOn(firstEmulator, "guilds")).toBe(1), { timeout: 5_000 });
    first.interrupt();
    await vi.waitFor(() => expect(first.output()).toMatch(/\[launcher\] .*, stopping \(again to stop at once\)/));

    const startedAt = performance.now();
    const second = await startLauncher(env);
    const secondStartSeconds = (performance.now() - startedAt) / 1000;
    try {
      expect(second.output()).toMatch(/held by a launcher that is stopping \(pid \d+\); waiting for it/);
      expect((await inFlight).status).toBe(200); // the first one still finished its request
      expect([0, "SIGINT"]).toContain(await first.exited);
      expect(first.output()).toMatch(/\[launcher\] stopped in/);
      expect((await fetch(`${second.appUrl}/healthz`)).status).toBe(200);
      console.log(
        `[launcher] second start, begun while the first one was stopping: ready after ${secondStartSeconds.toFixed(2)} s; ` +
          `the first one ${first.output().match(/stopped in .*/)![0]}`,
      );
    } finally {
      second.interrupt();
      expect([0, "SIGINT"]).toContain(await second.exited);
    }
  }, 120_000);

  it("refuses to share the data folder with a launcher that is running, and says how to stop it", async () => {
    const env = await launcherEnv();
    const running = await startLauncher(env);
    try {
      const refused = await startLauncher(
        { ...env, PORT: String(await freePort()), EMULATOR_PORT: "0" },
        {
          expectFailure: true,
        },
      );
      expect(await refused.exited).toBe(1);
      expect(refused.output()).toMatch(
        /in use by another launcher \(pid \d+\), which is running\. Stop it first \(Ctrl-C in its terminal, or: kill \d+\)/,
      );
    } finally {
      running.interrupt();
      expect([0, "SIGINT"]).toContain(await running.exited);
    }
  });

  it("refuses the emulator and throwaway secrets for an APP_URL that is not on this machine", async () => {
    const env = await launcherEnv();
    const refused = await startLauncher(
      { ...env, APP_URL: "https://auth.example.com", SESSION_SECRET: "", TOKEN_ENCRYPTION_KEY: "" },
      { expectFailure: true },
    );
    expect(await refused.exited).toBe(1);
    const lines = refused
      .output()
      .split("\n")
      .filter((line) => line.startsWith("  - "));
    expect(lines).toEqual([
      "  - DISCORD_CLIENT_ID: set it and DISCORD_CLIENT_SECRET to your Discord application: the built-in emulator is for this machine only, and APP_URL (https://auth.example.com) is not on this machine",
      "  - SESSION_SECRET: set it (try: openssl rand -base64 32): throwaway secrets are for this machine only, and APP_URL (https://auth.example.com) is not on this machine",
      "  - TOKEN_ENCRYPTION_KEY: set it (try: openssl rand -base64 32): throwaway secrets are for this machine only, and APP_URL (https://auth.example.com) is not on this machine",
    ]);
    expect(refused.output()).not.toMatch(/emulator at|embedded Postgres/); // nothing was started
  });

  it("refuses in JSON lines on stdout under a service manager (production, no terminal), one per problem", async () => {
    const env = await launcherEnv();
    const refused = await startLauncher(
      {
        ...env,
        NODE_ENV: "production",
        APP_URL: "https://auth.example.com",
        SESSION_SECRET: "",
        TOKEN_ENCRYPTION_KEY: "",
      },
      { expectFailure: true },
    );
    expect(await refused.exited).toBe(1);
    const lines = refused
      .output()
      .split("\n")
      .filter((line) => line.trim() !== "");
    // Every line is JSON (on Node 20, a warning about its end of life comes first).
    const parsed = lines.map((line) => JSON.parse(line) as { level: string; msg: string; source: string });
    const refusals = parsed.filter(({ msg }) => msg.startsWith("Invalid configuration: "));
    expect(refusals.map(({ level, source }) => `${level} ${source}`)).toEqual(refusals.map(() => "error launcher"));
    expect(refusals.map(({ msg }) => msg.split(":").slice(0, 2).join(":"))).toEqual([
      "Invalid configuration: DISCORD_CLIENT_ID",
      "Invalid configuration: SESSION_SECRET",
      "Invalid configuration: TOKEN_ENCRYPTION_KEY",
    ]);
  });

  it("refuses a mistyped NODE_ENV, naming it, before it provides anything", async () => {
    const refused = await startLauncher({ ...(await launcherEnv()), NODE_ENV: "Production" }, { expectFailure: true });
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toContain(
      '  - NODE_ENV: must be production, development or test, or unset (got "Production")',
    );
    expect(refused.output()).not.toMatch(/emulator at|embedded Postgres|throwaway/); // nothing was started
  });
});
