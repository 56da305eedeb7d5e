import type { AppContext } from "../app-context";
import { type TokenPair, isUsable } from "../state/grants";
import { OAuthError, invalidGrant, invalidRequest } from "./oauth-error";
import { verifierMatches } from "./pkce";
import { parseScopes } from "./scopes";

/** New tokens, and the server the bot was added to when the code came from adding it. */
export interface Exchanged {
  readonly pair: TokenPair;
  readonly botGuildId: string | null;
}

function required(form: URLSearchParams, name: string): string {
  const value = form.get(name);
  if (!value) throw invalidRequest(`Missing "${name}" in request.`);
  return value;
}

/** grant_type=authorization_code: a single-use code, bound to its redirect_uri and PKCE challenge. */
export function exchangeCode(context: AppContext, form: URLSearchParams): Exchanged {
  const { codes, grants, counters } = context.state;
  const now = Date.now();
  const value = required(form, "code");
  const code = codes.find(value);
  const invalidCode = invalidGrant('Invalid "code" in request.');
  if (!code) throw invalidCode;
  if (code.redeemed) {
    counters.count("rejected_code_reuses");
    throw invalidCode;
  }
  // A code dies with its grant: revoking between authorize and exchange invalidates it.
  const grant = grants.activeGrantOf(code.accountId);
  if (now >= code.expiresAt || grant?.id !== code.grantId) throw invalidCode;

  const redirectUri = required(form, "redirect_uri");
  if (redirectUri !== code.redirectUri) throw invalidGrant('Invalid "redirect_uri" in request.');

  const verifier = form.get("code_verifier");
  if (code.codeChallenge !== null) {
    if (verifier === null) throw invalidGrant('Missing "code_verifier" in request.');
    if (!verifierMatches(verifier, code.codeChallenge)) throw invalidGrant('Invalid "code_verifier" in request.');
  } else if (verifier !== null) {
    // RFC 9700 §2.1.1: a verifier without a challenge means the PKCE step was stripped somewhere.
    throw invalidGrant("A code_verifier was sent but the authorization request had no code_challenge.");
  }

  code.redeemed = true;
  counters.count("code_exchanges");
  if (code.codeChallenge !== null) counters.count("code_exchanges_with_pkce");
  return { pair: grants.issuePair(grant, code.scopes, now), botGuildId: code.botGuildId };
}

/** grant_type=refresh_token: rotating, so each refresh token works exactly once. */
export function refreshTokens(context: AppContext, form: URLSearchParams): Exchanged {
  const { grants, counters } = context.state;
  const now = Date.now();
  const refresh = grants.find(required(form, "refresh_token"));
  const invalidToken = invalidGrant('Invalid "refresh_token" in request.');
  if (!refresh || refresh.kind !== "refresh") throw invalidToken;
  if (refresh.rotatedAt !== null) {
    counters.count("rejected_refresh_reuses");
    throw invalidToken;
  }
  if (!isUsable(refresh, now)) throw invalidToken;

  // RFC 6749 §6: a refresh may narrow the scopes but never widen them.
  let scopes = refresh.scopes;
  if (form.has("scope")) {
    const requested = parseScopes(form.get("scope"));
    if (!requested || !requested.every((scope) => refresh.scopes.includes(scope))) {
      throw new OAuthError(400, "invalid_scope", "The requested scope is invalid, unknown, or malformed.");
    }
    scopes = requested;
  }
  counters.count("refreshes");
  return { pair: grants.rotate(refresh, scopes, now), botGuildId: null };
}
