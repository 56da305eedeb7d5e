import { isPermissionBitfield } from "../discord/permissions";
import { isSnowflake } from "../discord/snowflake";
import { repeatedParameter } from "../http/body";
import type { EmulatorConfig } from "../options";
import { type Scope, parseScopes } from "./scopes";

/** The parameters the consent form carries through as hidden fields. */
export const AUTHORIZE_PARAMETERS = [
  "client_id",
  "redirect_uri",
  "response_type",
  "scope",
  "state",
  "code_challenge",
  "code_challenge_method",
  "prompt",
  // Adding the bot to a server (scope bot): what it asks for, and where.
  "permissions",
  "guild_id",
  "disable_guild_select",
  "integration_type",
] as const;

export type Prompt = "consent" | "none";

/** With the bot scope: the permissions asked for, and the server preselected (or imposed). */
export interface BotRequest {
  readonly permissions: bigint;
  readonly guildId: string | null;
  /** disable_guild_select=true with a guild_id: the person may not pick another server. */
  readonly guildFixed: boolean;
}

export interface AuthorizeRequest {
  readonly redirectUri: string;
  readonly scopes: readonly Scope[];
  readonly state: string | null;
  readonly codeChallenge: string | null;
  readonly prompt: Prompt;
  /** Null unless the bot scope is asked for. */
  readonly bot: BotRequest | null;
}

export type AuthorizeOutcome =
  | { readonly kind: "valid"; readonly request: AuthorizeRequest }
  /** The redirect target cannot be trusted: show a page, never redirect. */
  | { readonly kind: "untrusted"; readonly message: string }
  /** RFC 6749 §4.1.2.1: the error goes back to the client's redirect_uri. */
  | {
      readonly kind: "rejected";
      readonly redirectUri: string;
      readonly state: string | null;
      readonly error: string;
      readonly description: string;
    };

/** An S256 challenge is the base64url SHA-256 of the verifier: always 43 characters. */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

export function parseAuthorizeRequest(params: URLSearchParams, config: EmulatorConfig): AuthorizeOutcome {
  const untrusted = (message: string): AuthorizeOutcome => ({ kind: "untrusted", message });
  if (repeatedParameter(params, ["client_id", "redirect_uri"])) {
    return untrusted("client_id and redirect_uri must each be sent only once.");
  }
  const clientId = params.get("client_id");
  if (clientId !== config.clientId) {
    return untrusted(
      clientId ? `Unknown application: no application has the client_id "${clientId}".` : "Missing client_id.",
    );
  }
  const redirectUri = params.get("redirect_uri");
  if (!redirectUri) return untrusted("Missing redirect_uri.");
  if (!config.redirectUris.includes(redirectUri)) {
    return untrusted(`Invalid OAuth2 redirect_uri: "${redirectUri}" is not registered for this application.`);
  }

  const state = params.get("state");
  const reject = (error: string, description: string): AuthorizeOutcome => ({
    kind: "rejected",
    redirectUri,
    state,
    error,
    description,
  });
  const repeated = repeatedParameter(params, AUTHORIZE_PARAMETERS);
  if (repeated) return reject("invalid_request", `The ${repeated} parameter was sent more than once.`);

  const responseType = params.get("response_type");
  if (!responseType) return reject("invalid_request", "Missing response_type.");
  if (responseType !== "code") {
    return reject(
      "unsupported_response_type",
      "The authorization server does not support obtaining an authorization code using this method.",
    );
  }
  const scopes = parseScopes(params.get("scope"));
  if (!scopes) return reject("invalid_scope", "The requested scope is invalid, unknown, or malformed.");

  const codeChallenge = params.get("code_challenge");
  const method = params.get("code_challenge_method");
  if (codeChallenge === null && method !== null)
    return reject("invalid_request", "code_challenge_method was sent without a code_challenge.");
  if (codeChallenge !== null && method !== "S256") {
    return reject("invalid_request", "Only the S256 code_challenge_method is supported.");
  }
  if (codeChallenge !== null && !S256_CHALLENGE.test(codeChallenge)) {
    return reject("invalid_request", "code_challenge must be a base64url-encoded SHA-256 hash (43 characters).");
  }

  const prompt = params.get("prompt") ?? "consent";
  if (prompt !== "consent" && prompt !== "none")
    return reject("invalid_request", 'prompt must be "consent" or "none".');

  const bot = scopes.includes("bot") ? parseBotRequest(params) : null;
  if (typeof bot === "string") return reject("invalid_request", bot);

  return { kind: "valid", request: { redirectUri, scopes, state, codeChallenge, prompt, bot } };
}

/** The bot's parameters, or what is wrong with them. */
function parseBotRequest(params: URLSearchParams): BotRequest | string {
  const permissions = params.get("permissions") ?? "0";
  if (!isPermissionBitfield(permissions)) return "permissions must be a decimal permission bitfield.";
  const guildId = params.get("guild_id");
  if (guildId !== null && !isSnowflake(guildId)) return "guild_id must be a snowflake.";
  // A bot is installed in a server (0); user installs (1) take no bot.
  const integrationType = params.get("integration_type") ?? "0";
  if (integrationType !== "0") return "The bot scope needs integration_type=0 (a server install).";
  const guildFixed = guildId !== null && params.get("disable_guild_select") === "true";
  return { permissions: BigInt(permissions), guildId, guildFixed };
}
