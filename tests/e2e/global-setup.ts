import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { waitUntilHealthy } from "../../launcher/processes";
import { createTestDatabase, testServerUrl } from "../support/test-database";

const root = fileURLToPath(new URL("../..", import.meta.url));
export const SERVER_LOG = path.join(root, "test-results", "e2e-server.log");

/**
 * Runs the app the way a person does (`npm start`'s launcher, production build) on the
 * ports playwright.config.ts chose, with a database of its own and the emulator.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const port = process.env.E2E_PORT!;
  const database = testServerUrl() ? await createTestDatabase() : null;
  mkdirSync(path.dirname(SERVER_LOG), { recursive: true });
  const log = createWriteStream(SERVER_LOG);

  // As npm start runs it: the compiled launcher (npm run test:e2e builds first).
  const launcher = spawn(process.execPath, ["launcher/run.mjs", "launcher/main", "start"], {
    cwd: root,
    env: {
      ...process.env,
      PORT: port,
      EMULATOR_PORT: process.env.E2E_EMULATOR_PORT,
      // Set (even to empty) so a developer's .env cannot point the tests at real services.
      APP_URL: "",
      DATABASE_URL: database?.url ?? "",
      EMBEDDED_DATABASE_DIR: "memory://",
      DISCORD_CLIENT_ID: "",
      DISCORD_CLIENT_SECRET: "",
      SESSION_SECRET: randomBytes(32).toString("base64"),
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      // The bot dashboard's manager checks at their shortest, so a demotion shows within a test.
      DASHBOARD_RECHECK_SECONDS: "10",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  launcher.stdout.pipe(log);
  launcher.stderr.pipe(log);
  const exited = new Promise<void>((resolve) => launcher.once("exit", () => resolve()));

  try {
    await waitUntilHealthy(`http://127.0.0.1:${port}/healthz`, launcher, 120_000);
  } catch (error) {
    launcher.kill("SIGTERM");
    await exited;
    await database?.destroy();
    throw new Error(`${(error as Error).message}\n--- launcher output ---\n${readFileSync(SERVER_LOG, "utf8")}`);
  }

  return async () => {
    launcher.kill("SIGTERM");
    await exited;
    await database?.destroy();
  };
}
