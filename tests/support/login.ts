import { expect } from "vitest";
import * as authDiscord from "~/routes/auth.discord";
import * as callback from "~/routes/auth.discord_.callback";
import { seededId } from "../../emulator/testing/harness";
import type { TestApp } from "./app-harness";
import type { RouteResult, TestBrowser } from "./test-browser";

/** "Log in with Discord": returns the emulator's authorization URL the app redirected to. */
export async function startLogin(
  browser: TestBrowser,
  returnTo?: string,
  headers: Record<string, string> = {},
): Promise<URL> {
  const result = await browser.post(
    authDiscord.action,
    "/auth/discord",
    returnTo === undefined ? {} : { returnTo },
    headers,
  );
  expect(result.status).toBe(302);
  return new URL(result.location!);
}

/**
 * What a person does on Discord's consent page: pick an account and press Authorize or
 * Cancel. Returns the path (with query) Discord sends the browser back to.
 */
export async function answerConsent(
  app: TestApp,
  authorizeUrl: URL,
  choice: { username?: string; action?: "authorize" | "cancel" } = {},
): Promise<string> {
  const form = new URLSearchParams(authorizeUrl.searchParams);
  const account = choice.username ?? "nova";
  // A seeded account's username, or the id of one a test created.
  form.set("account_id", /^\d+$/.test(account) ? account : seededId(account));
  form.set("action", choice.action ?? "authorize");
  const response = await fetch(`${app.emulator.url}/oauth2/authorize`, {
    method: "POST",
    body: form,
    redirect: "manual",
  });
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get("Location")!);
  return `${location.pathname}${location.search}`;
}

export function finishLogin(browser: TestBrowser, callbackPath: string): Promise<RouteResult> {
  return browser.get(callback.loader, callbackPath);
}

/** A whole successful login; returns the callback's answer (a redirect to returnTo). */
export async function logIn(app: TestApp, browser: TestBrowser, username = "nova", returnTo?: string) {
  const authorizeUrl = await startLogin(browser, returnTo);
  return finishLogin(browser, await answerConsent(app, authorizeUrl, { username }));
}
