import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { closeDb, getDb, type DB } from "~/db/db.server";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../emulator/server";
import { control, issuedTokens } from "../../emulator/testing/harness";
import { createTestDatabase, type TestDatabase } from "./test-database";

/** The origin the app believes it has; requests in tests are built against it. */
export const APP_URL = "http://localhost:3000";

export interface TestApp {
  db: DB;
  /** This file's own database, for connections of a test's own (an observer, a second instance). */
  databaseUrl: string;
  emulator: RunningEmulator;
  /** The emulator's control API (/_emulator/...). */
  control(method: string, path: string, body?: unknown): ReturnType<typeof control>;
  /** Every access and refresh token the emulator has issued to an account, to look for leaks. */
  issuedTokens(accountId: string): Promise<string[]>;
}

/**
 * The app's server code wired as in production: its configuration from the environment,
 * a database of its own (real Postgres or embedded) and a Discord emulator over HTTP.
 * The emulator is reset before each test; the database is not (tests use their own users).
 */
export function useTestApp(
  options: {
    /** Settings beyond the defaults; a function when they need the emulator's address. */
    env?: Record<string, string> | ((emulator: RunningEmulator) => Record<string, string>);
    emulator?: EmulatorOptions;
  } = {},
): () => TestApp {
  let database: TestDatabase | undefined;
  let app: TestApp | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    const emulator = await startEmulator({
      ...options.emulator,
      port: 0,
      // The login's, and where Discord sends people back after adding the bot.
      redirectUris: [`${APP_URL}/auth/discord/callback`, `${APP_URL}/servers/bot-added`],
    });
    // Read once by getConfig(); vitest gives each test file fresh modules.
    Object.assign(process.env, {
      NODE_ENV: "test",
      APP_URL,
      DATABASE_URL: database.url,
      SESSION_SECRET: randomBytes(32).toString("base64"),
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      DISCORD_CLIENT_ID: emulator.clientId,
      DISCORD_CLIENT_SECRET: emulator.clientSecret,
      DISCORD_BASE_URL: emulator.url,
      DISCORD_CDN_URL: emulator.url,
      DISCORD_PUBLIC_KEY: emulator.publicKeyHex,
      DISCORD_TIMEOUT_MS: "3000",
      // Expected failures (a refused login, say) would fill the test output with warnings.
      LOG_LEVEL: "error",
      ...(typeof options.env === "function" ? options.env(emulator) : options.env),
    });
    app = {
      db: getDb(),
      databaseUrl: database.url,
      emulator,
      control: (method, path, body) => control(emulator, method, path, body),
      async issuedTokens(accountId) {
        return (await issuedTokens(emulator, accountId)).map((issued) => issued.token);
      },
    };
  });
  beforeEach(async () => {
    await app?.control("POST", "/reset");
  });
  afterAll(async () => {
    await closeDb();
    await app?.emulator.close();
    await database?.destroy();
  });
  return () => {
    if (!app) throw new Error("useTestApp() is only ready inside tests");
    return app;
  };
}
