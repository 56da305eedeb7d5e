import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { type EmulatorOptions, type RunningEmulator, startEmulator } from "../server";

export { EMULATOR_HQ_INVITE_CODE, seededGuildId, seededId, seededRoleId } from "./seeded";

/**
 * Starts one emulator per test file on a free port, resets it before each
 * test and stops it afterwards. Returns a getter because the emulator only
 * exists once beforeAll has run.
 */
export function useEmulator(options: EmulatorOptions = {}): () => RunningEmulator {
  let emulator: RunningEmulator | undefined;
  beforeAll(async () => {
    emulator = await startEmulator({ ...options, port: 0 });
  });
  afterAll(async () => emulator?.close());
  beforeEach(async () => {
    await control(emulator!, "POST", "/reset");
  });
  return () => emulator!;
}

/**
 * An emulator as the helpers below reach it: over HTTP at its address, whether this
 * process started it or another did (a launcher's, say).
 */
export type EmulatorAt = Pick<RunningEmulator, "url">;

export interface JsonResponse {
  readonly status: number;
  readonly headers: Headers;
  /** `any` on purpose: tests read arbitrary JSON paths and expect() does the checking. */
  readonly body: any;
}

async function asJson(response: Response): Promise<JsonResponse> {
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

export async function control(
  emulator: EmulatorAt,
  method: string,
  path: string,
  body?: unknown,
): Promise<JsonResponse> {
  const response = await fetch(`${emulator.url}/_emulator${path}`, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return asJson(response);
}

/** A control call that must succeed: its JSON answer (null for 204); any other status throws, saying what came back. */
export async function controlOk(emulator: EmulatorAt, method: string, path: string, body?: unknown): Promise<any> {
  const response = await control(emulator, method, path, body);
  if (response.status < 200 || response.status >= 300) {
    throw new Error(`${method} /_emulator${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
  }
  return response.status === 204 ? null : response.body;
}

export interface CreatedAccount {
  readonly id: string;
  readonly username: string;
  readonly global_name: string | null;
}

/**
 * A fresh emulated account named after its purpose, unique across test files and runs:
 * tests that change an account (revoke, delete, take roles) must not share one.
 */
export function createAccount(
  emulator: EmulatorAt,
  purpose: string,
  fields: { global_name?: string; email?: string; verified?: boolean } = {},
): Promise<CreatedAccount> {
  const username = `${purpose}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  return controlOk(emulator, "POST", "/accounts", { username, ...fields });
}

/** The emulator's counters (GET /_emulator/counters): grants, codes, refreshes and api_calls. */
export async function counters(emulator: EmulatorAt): Promise<any> {
  return (await control(emulator, "GET", "/counters")).body;
}

/** The answers the emulator sent on one of its routes (`guild_member`, say), by status: {"200": 3}. */
export async function callsOn(emulator: EmulatorAt, route: string): Promise<Record<string, number>> {
  return (await counters(emulator)).api_calls[route] ?? {};
}

async function expectNoContent(response: Promise<JsonResponse>, what: string): Promise<void> {
  const { status, body } = await response;
  if (status !== 204) throw new Error(`${what} failed with ${status}: ${JSON.stringify(body)}`);
}

export interface IssuedToken {
  readonly token: string;
  readonly type: "access" | "refresh";
  /** Whether Discord would still accept it. */
  readonly valid: boolean;
  /** "active", or why it is not: "revoked", "rotated", "expired". */
  readonly status: string;
}

/** Every access and refresh token the emulator has issued to an account, current and past. */
export async function issuedTokens(emulator: EmulatorAt, accountId: string): Promise<IssuedToken[]> {
  return (await controlOk(emulator, "GET", `/tokens?account_id=${accountId}`)).tokens;
}

/** How many answers the emulator has sent on one of its routes (`guild_member`, say), whatever their status. */
export async function answersOn(emulator: EmulatorAt, route: string): Promise<number> {
  return Object.values(await callsOn(emulator, route)).reduce((sum, count) => sum + count, 0);
}

/**
 * How many requests on a route the emulator is handling right now: one held by a delay
 * fault counts until answered, so a test can wait for its client's request to arrive.
 */
export async function inFlightOn(emulator: EmulatorAt, route: string): Promise<number> {
  return (await control(emulator, "GET", "/in-flight")).body[route] ?? 0;
}

/** Gives a member a role, as a bot would through Discord's member role route. */
export function giveRole(emulator: EmulatorAt, guildId: string, accountId: string, roleId: string): Promise<void> {
  const path = `/guilds/${guildId}/members/${accountId}/roles/${roleId}`;
  return expectNoContent(control(emulator, "PUT", path), `giving role ${roleId}`);
}

export function removeRole(emulator: EmulatorAt, guildId: string, accountId: string, roleId: string): Promise<void> {
  const path = `/guilds/${guildId}/members/${accountId}/roles/${roleId}`;
  return expectNoContent(control(emulator, "DELETE", path), `removing role ${roleId}`);
}

/** Takes the account out of the server, as leaving or being kicked would. */
export function removeMember(emulator: EmulatorAt, guildId: string, accountId: string): Promise<void> {
  const path = `/guilds/${guildId}/members/${accountId}`;
  return expectNoContent(control(emulator, "DELETE", path), `removing member ${accountId}`);
}

export async function api(emulator: EmulatorAt, path: string, accessToken?: string): Promise<JsonResponse> {
  const response = await fetch(`${emulator.url}/api/v10${path}`, {
    headers: accessToken === undefined ? {} : { Authorization: `Bearer ${accessToken}` },
  });
  return asJson(response);
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export const REDIRECT_URI = "http://localhost:3000/auth/discord/callback";

export interface ConsentChoice {
  readonly accountId?: string;
  readonly newUsername?: string;
  readonly scope?: string;
  readonly state?: string;
  readonly codeChallenge?: string;
  readonly action?: "authorize" | "cancel";
}

/** Submits the consent form the way a browser would and returns the redirect it answers with. */
export async function submitConsent(
  emulator: RunningEmulator,
  choice: ConsentChoice,
  /** What a browser says of where the form was (Origin, Sec-Fetch-Site); none by default, as from a script. */
  headers: Record<string, string> = {},
): Promise<Response> {
  const form = new URLSearchParams({
    client_id: emulator.clientId,
    redirect_uri: REDIRECT_URI,
    response_type: "code",
    scope: choice.scope ?? "identify email guilds",
    action: choice.action ?? "authorize",
  });
  if (choice.state !== undefined) form.set("state", choice.state);
  if (choice.codeChallenge !== undefined) {
    form.set("code_challenge", choice.codeChallenge);
    form.set("code_challenge_method", "S256");
  }
  if (choice.accountId !== undefined) form.set("account_id", choice.accountId);
  if (choice.newUsername !== undefined) form.set("new_username", choice.newUsername);
  return fetch(`${emulator.url}/oauth2/authorize`, { method: "POST", body: form, redirect: "manual", headers });
}

/** Runs consent and returns the authorization code from the redirect. */
export async function authorizeCode(emulator: RunningEmulator, choice: ConsentChoice): Promise<string> {
  const response = await submitConsent(emulator, choice);
  const code = new URL(response.headers.get("location") ?? "", REDIRECT_URI).searchParams.get("code");
  if (response.status !== 302 || !code) throw new Error(`consent did not issue a code (status ${response.status})`);
  return code;
}

export async function tokenRequest(
  emulator: RunningEmulator,
  params: Record<string, string>,
  credentials: "basic" | "body" | "none" = "basic",
) {
  const form = new URLSearchParams(params);
  const headers: Record<string, string> = {};
  if (credentials === "basic") {
    headers.Authorization = `Basic ${Buffer.from(`${emulator.clientId}:${emulator.clientSecret}`).toString("base64")}`;
  } else if (credentials === "body") {
    form.set("client_id", emulator.clientId);
    form.set("client_secret", emulator.clientSecret);
  }
  return asJson(await fetch(`${emulator.url}/api/v10/oauth2/token`, { method: "POST", headers, body: form }));
}

export interface TokenResponse {
  readonly access_token: string;
  readonly refresh_token: string;
  readonly token_type: string;
  readonly expires_in: number;
  readonly scope: string;
}

/** Authorizes an account and exchanges the code: a logged-in user's tokens. */
export async function login(emulator: RunningEmulator, accountId: string, scope = "identify email guilds") {
  const code = await authorizeCode(emulator, { accountId, scope });
  const response = await tokenRequest(emulator, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI });
  if (response.status !== 200) throw new Error(`token exchange failed: ${JSON.stringify(response.body)}`);
  return response.body as TokenResponse;
}
