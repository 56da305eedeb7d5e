import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureProductionBuild } from "./build";
import { createTestDatabase, type TestDatabase } from "../tests/support/test-database";

// The scripts an operator runs by hand read the settings file the service reads
// (SETTINGS_FILE, docs/deploy.md section 4), so `npm run db:migrate` finds DATABASE_URL.

const run = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));
const folder = mkdtempSync(path.join(tmpdir(), "settings-file-"));
let database: TestDatabase;

beforeAll(async () => {
  await ensureProductionBuild(root);
  database = await createTestDatabase({ migrate: false });
}, 120_000);

afterAll(async () => {
  await database?.destroy();
  rmSync(folder, { recursive: true, force: true });
});

/** `node launcher/run.mjs <script>` with no settings in its environment but SETTINGS_FILE. */
function runScript(script: string, settingsFile: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, SETTINGS_FILE: settingsFile };
  delete env.DATABASE_URL;
  return run(process.execPath, ["launcher/run.mjs", script], { cwd: root, env, timeout: 60_000 });
}

describe("SETTINGS_FILE", () => {
  it("gives npm run db:migrate the settings the service gets, read with systemd's rules", async () => {
    const file = path.join(folder, "discord-login.env");
    writeFileSync(file, `# as /etc/discord-login.env\nNODE_ENV=production\nDATABASE_URL="${database.url}"\n`);
    const { stdout } = await runScript("scripts/migrate", file);
    expect(stdout).toMatch(/Applied \d+ migration\(s\) to postgres:\/\/.*0001_users_tokens_sessions/);
    const tables = await database.db.introspection.getTables();
    expect(tables.map((table) => table.name)).toContain("sessions");
  });

  it("names a file it cannot read, and exits 1 before doing anything", async () => {
    const missing = path.join(folder, "no-such.env");
    const failed = await runScript("scripts/migrate", missing).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toContain(`SETTINGS_FILE=${missing}: cannot read it (no such file)`);
  });
});
