import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startEmulator, type RunningEmulator } from "../emulator/server";
import { seededId } from "../emulator/testing/harness";
import { freePort, logInOverHttp } from "../tests/support/app-instances";
import { createTestDatabase, type TestDatabase } from "../tests/support/test-database";
import { ensureProductionBuild } from "./build";

// A production install, as an operator makes one: the built tree copied elsewhere,
// `npm ci --omit=dev` (no tsx, TypeScript or Remix's build tools), the release step
// `npm run db:migrate`, then `npm start` against a real Postgres with real-Discord
// settings (an explicit client id and secret), here pointed at the emulator run on its own.

const run = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));
const install = mkdtempSync(path.join(tmpdir(), "production-install-"));
let database: TestDatabase;
let emulator: RunningEmulator;

beforeAll(async () => {
  await ensureProductionBuild(root);
  cpSync(root, install, {
    recursive: true,
    filter: (source) => !/[\\/](node_modules|\.data|\.git|test-results|playwright-report)$/.test(source),
  });
  // As docs/deploy.md installs it: no development tools, and no embedded Postgres.
  await run("npm", ["ci", "--omit=dev", "--omit=optional", "--no-audit", "--no-fund"], {
    cwd: install,
    timeout: 240_000,
  });
  database = await createTestDatabase({ migrate: false });
}, 300_000);

afterAll(async () => {
  await emulator?.close();
  await database?.destroy();
  rmSync(install, { recursive: true, force: true });
});

const npm = (args: string[], env: Record<string, string>) =>
  run("npm", ["--silent", ...args], { cwd: install, env: { ...process.env, ...env }, timeout: 60_000 });

describe("a production install", () => {
  it("has no TypeScript, build tools or embedded Postgres, only the compiled build", () => {
    for (const tool of ["tsx", "typescript", "@remix-run/dev", "esbuild", "vitest", "@electric-sql/pglite"]) {
      expect(existsSync(path.join(install, "node_modules", tool)), tool).toBe(false);
    }
    expect(existsSync(path.join(install, "build", "launcher", "main.js"))).toBe(true);
  });

  it("migrates, purges, reseals and serves logins with plain node", async () => {
    const port = await freePort();
    const appUrl = `http://localhost:${port}`;
    emulator = await startEmulator({ port: 0, redirectUris: [`${appUrl}/auth/discord/callback`] });
    const env: Record<string, string> = {
      NODE_ENV: "production",
      PORT: String(port),
      APP_URL: appUrl,
      DATABASE_URL: database.url,
      SESSION_SECRET: randomBytes(32).toString("base64"),
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      // Real-Discord settings, as an operator gives them; the emulator is not announced.
      DISCORD_CLIENT_ID: emulator.clientId,
      DISCORD_CLIENT_SECRET: emulator.clientSecret,
      DISCORD_BASE_URL: emulator.url,
      DISCORD_CDN_URL: emulator.url,
    };
    const migrated = await npm(["run", "db:migrate"], env);
    const migrations = readdirSync(new URL("../migrations", import.meta.url)).filter((file) => file.endsWith(".ts"));
    expect(migrated.stdout).toContain(`Applied ${migrations.length} migration(s) to postgres://`);
    expect(migrated.stdout).toMatch(/0001_users_tokens_sessions/);
    expect((await npm(["run", "db:purge"], env)).stdout).toMatch(/^Purged 0 expired sessions/m);
    expect((await npm(["run", "tokens:reseal"], env)).stdout).toMatch(/^Resealed 0 people's tokens/m);

    const app = spawn("npm", ["--silent", "start"], { cwd: install, env: { ...process.env, ...env }, detached: true });
    let output = "";
    let errors = "";
    app.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    app.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
    // In production every line, the launcher's and the app's, is a JSON object on stdout.
    const lines = () =>
      output
        .split("\n")
        .filter(Boolean)
        .map((line) => {
          try {
            return JSON.parse(line) as { level: string; msg: string; component?: string };
          } catch {
            return { level: "not JSON", msg: line };
          }
        });
    const said = (component: string) =>
      lines()
        .filter((line) => line.component === component)
        .map((line) => line.msg);
    try {
      await vi.waitFor(() => expect(said("app").some((msg) => msg.startsWith("ready at"))).toBe(true), {
        timeout: 60_000,
        interval: 100,
      });
      expect(said("discord").join("\n")).toMatch(/application \d+ \(from DISCORD_CLIENT_ID\)/);
      expect(output).not.toMatch(/build:|emulator at|throwaway/);
      expect(lines().filter((line) => line.level === "not JSON")).toEqual([]);
      expect(errors).toBe("");
      expect((await fetch(`${appUrl}/healthz`)).status).toBe(200);
      const { cookie } = await logInOverHttp(appUrl, emulator, seededId("nova"));
      const dashboard = await fetch(`${appUrl}/dashboard`, { headers: { Cookie: cookie } });
      expect(await dashboard.text()).toContain("Nova Quinn");
      // Real Discord as far as the app knows: no emulator banner.
      expect(await (await fetch(`${appUrl}/`)).text()).not.toContain("Discord emulator in use");
    } finally {
      process.kill(-app.pid!, "SIGINT");
      await new Promise((resolve) => app.once("exit", resolve));
    }
  }, 90_000);
});
