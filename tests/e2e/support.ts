import { expect, test, type Page } from "@playwright/test";
import {
  controlOk,
  createAccount as createEmulatedAccount,
  issuedTokens as issuedTokensOf,
  type CreatedAccount,
} from "../../emulator/testing/harness";
import { freePort } from "../support/app-instances";
import { startLauncher, type RunningLauncher } from "../support/launcher-process";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

/** The emulator the launcher started for this run (see playwright.config.ts). */
export const emulatorUrl = `http://127.0.0.1:${process.env.E2E_EMULATOR_PORT}`;

/** Picks an emulated account on the consent page and presses Authorize (or Cancel). */
export async function answerConsent(
  page: Page,
  username: string,
  button: "Authorize" | "Cancel" = "Authorize",
  emulator = emulatorUrl,
) {
  await expect(page).toHaveURL(new RegExp(`^${emulator}/oauth2/authorize`));
  await page.getByRole("radio", { name: new RegExp(`@${username.replace(".", "\\.")}\\b|${username}#`) }).check();
  await page.getByRole("button", { name: button }).click();
}

/** From the current page's "Log in with Discord" button to wherever the app lands afterwards. */
export async function logInFromHere(page: Page, username: string, emulator = emulatorUrl) {
  await page.getByRole("button", { name: "Log in with Discord" }).click();
  await answerConsent(page, username, "Authorize", emulator);
}

/**
 * The emulator's control API (this run's emulator unless another is named): the JSON
 * answer, or null for 204. Anything but success fails the test.
 */
export function control(method: string, path: string, body?: unknown, emulator = emulatorUrl): Promise<any> {
  return controlOk({ url: emulator }, method, path, body);
}

/**
 * A fresh emulated account for a test that changes things (revokes, deletes): tests run
 * in parallel against one emulator and must not pull the rug from under each other.
 */
export function createAccount(purpose: string, emulator = emulatorUrl): Promise<CreatedAccount> {
  return createEmulatedAccount({ url: emulator }, purpose, {
    global_name: `Test ${purpose}`,
    email: `${purpose}@example.com`,
    verified: true,
  });
}

/** Removes the app from the account "on Discord's side": Discord then sends the signed webhook. */
export async function deauthorizeOnDiscord(accountId: string): Promise<any> {
  return control("POST", `/accounts/${accountId}/deauthorize`, {});
}

/** Every token the emulator ever issued to the account, to prove none reaches the browser. */
export async function issuedTokens(username: string): Promise<string[]> {
  const accounts: Array<{ id: string; username: string }> = await control("GET", "/accounts");
  const account = accounts.find((candidate) => candidate.username === username);
  if (!account) throw new Error(`no emulated account ${username}`);
  return (await issuedTokensOf({ url: emulatorUrl }, account.id)).map((issued) => issued.token);
}

/** A spec's own app: its launcher (app and emulator) and its database. */
export interface OwnApp {
  readonly app: RunningLauncher;
  /** Always one the test can read (on the embedded Postgres too, served to the launcher like a server). */
  readonly database: TestDatabase;
}

/**
 * An app of the spec's own, started as `npm start` starts it with `env` (a function when it
 * needs the emulator's port), with its own emulator and database, so what its tests change
 * (roles, faults, the bot) reaches no other spec. Started before the spec's tests, stopped
 * after them; read `app` and `database` inside tests.
 */
export function useOwnApp(env: Record<string, string> | ((emulatorPort: number) => Record<string, string>)): OwnApp {
  let started: { app: RunningLauncher; database: TestDatabase } | undefined;

  test.beforeAll(async () => {
    const database = await createTestDatabase();
    const emulatorPort = await freePort();
    const app = await startLauncher({
      PORT: String(await freePort()),
      EMULATOR_PORT: String(emulatorPort),
      DATABASE_URL: database.url,
      ...(typeof env === "function" ? env(emulatorPort) : env),
    });
    started = { app, database };
  });

  test.afterAll(async () => {
    started?.app.interrupt();
    await started?.app.exited;
    await started?.database.destroy();
  });

  const ready = () => {
    if (!started) throw new Error("useOwnApp(): the app starts in beforeAll; read it inside tests");
    return started;
  };
  return {
    get app() {
      return ready().app;
    },
    get database() {
      return ready().database;
    },
  };
}
