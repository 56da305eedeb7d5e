import { afterAll, beforeAll } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator/server";
import { deploymentEnv, freePort, startAppInstance, type AppInstance } from "./app-instances";
import { createTestDatabase, type TestDatabase } from "./test-database";

export interface Deployment {
  database: TestDatabase;
  emulator: RunningEmulator;
  /** The production build (remix-serve) on a free port. */
  app: AppInstance;
  /** When the app process was started: connections opened after it are the app's. */
  appStartedAt: Date;
  /** The environment the app was started with (its secrets included). */
  env: Record<string, string>;
}

export interface DeploymentOptions {
  /** How the app reaches the database (through a proxy, say); its own URL by default. */
  reachDatabase?(database: TestDatabase): Promise<{ url: string; close(): Promise<void> }>;
  /** More settings for the app, over the deployment's own; a function when they need the emulator (its bot token). */
  env?: Record<string, string> | ((emulator: RunningEmulator) => Record<string, string>);
}

/**
 * One production deployment for a test file: a database of its own, the Discord emulator
 * and the production build, started before the file's tests and stopped after them.
 * Returns a getter, as the deployment only exists once beforeAll has run.
 */
export function useDeployment(options: DeploymentOptions = {}): () => Deployment {
  let deployment: Deployment | undefined;
  const stops: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    const database = await createTestDatabase();
    stops.push(() => database.destroy());
    const reached = options.reachDatabase ? await options.reachDatabase(database) : undefined;
    if (reached) stops.push(() => reached.close());
    const port = await freePort();
    const appUrl = `http://127.0.0.1:${port}`;
    const emulator = await startEmulator({
      port: 0,
      redirectUris: [`${appUrl}/auth/discord/callback`, `${appUrl}/servers/bot-added`],
    });
    stops.push(() => emulator.close());
    const extra = typeof options.env === "function" ? options.env(emulator) : options.env;
    const env = { ...deploymentEnv({ appUrl, databaseUrl: reached?.url ?? database.url, emulator }), ...extra };
    const appStartedAt = new Date();
    const app = await startAppInstance(port, env);
    stops.push(() => app.stop());
    deployment = { database, emulator, app, appStartedAt, env };
  }, 120_000);
  afterAll(async () => {
    // Last started, first stopped: the app before what it depends on.
    for (const stop of stops.reverse()) await stop();
  });
  return () => {
    if (!deployment) throw new Error("the deployment is not running: use it inside tests or hooks");
    return deployment;
  };
}
