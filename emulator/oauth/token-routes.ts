import type { AppContext } from "../app-context";
import { isFormEncoded, readBody, repeatedParameter } from "../http/body";
import type { IncomingRequest, Router } from "../http/router";
import { guildJson } from "../api/bot-json";
import { guarded } from "../traffic/guarded-route";
import { authenticateClient } from "./client-auth";
import { OAuthError, invalidRequest, sendOAuthError, sendOAuthJson } from "./oauth-error";
import { type Exchanged, exchangeCode, refreshTokens } from "./token-grants";

const TOKEN_PARAMETERS = [
  "grant_type",
  "code",
  "redirect_uri",
  "code_verifier",
  "refresh_token",
  "scope",
  "client_id",
  "client_secret",
  "token",
  "token_type_hint",
];

/**
 * Reads an authenticated request to the token or revocation endpoint. Like Discord, only a
 * form-encoded body is read: any other body (JSON, say) counts as an empty form.
 */
async function readClientForm({ req }: IncomingRequest, context: AppContext): Promise<URLSearchParams> {
  const form = isFormEncoded(req) ? new URLSearchParams((await readBody(req)).toString("utf8")) : new URLSearchParams();
  const repeated = repeatedParameter(form, TOKEN_PARAMETERS);
  if (repeated) throw invalidRequest(`The ${repeated} parameter was sent more than once.`);
  authenticateClient(req, form, context.config);
  return form;
}

/** Client credentials and other grants are not part of a login flow and are not emulated. */
const GRANT_TYPES = new Map([
  ["authorization_code", exchangeCode],
  ["refresh_token", refreshTokens],
]);

/** Discord's token response; after adding the bot it also carries the server it was added to. */
function tokenResponse(context: AppContext, { pair, botGuildId }: Exchanged, now: number) {
  const guild = botGuildId === null ? undefined : context.state.guilds.get(botGuildId);
  return {
    access_token: pair.access.value,
    token_type: "Bearer",
    expires_in: Math.ceil(((pair.access.expiresAt ?? now) - now) / 1000),
    refresh_token: pair.refresh.value,
    scope: pair.access.scopes.join(" "),
    ...(guild ? { guild: guildJson(guild, context.state.guilds.rolesOf(guild.id), false) } : {}),
  };
}

export function registerTokenRoutes(router: Router, context: AppContext): void {
  const withOAuthErrors =
    (handler: (request: IncomingRequest) => Promise<void>) => async (request: IncomingRequest) => {
      try {
        await handler(request);
      } catch (error) {
        if (!(error instanceof OAuthError)) throw error;
        sendOAuthError(request.res, error);
      }
    };
  // Limits on these endpoints are per client; the emulator hosts one application.
  const byClient = () => context.config.clientId;

  async function token(request: IncomingRequest): Promise<void> {
    const form = await readClientForm(request, context);
    const grantType = form.get("grant_type") ?? "";
    const exchange = GRANT_TYPES.get(grantType);
    if (!exchange) {
      const named = grantType ? `"${grantType}"` : "none given (only form-encoded bodies are read)";
      throw new OAuthError(400, "unsupported_grant_type", `Unsupported grant type: ${named}.`);
    }
    sendOAuthJson(request.res, 200, tokenResponse(context, exchange(context, form), Date.now()));
  }

  /** RFC 7009: revoking any token of a grant revokes the whole grant; unknown tokens still get 200. */
  async function revoke(request: IncomingRequest): Promise<void> {
    const form = await readClientForm(request, context);
    const value = form.get("token");
    if (!value) throw invalidRequest('Missing "token" in request.');
    const { grants, counters } = context.state;
    const token = grants.find(value);
    // token_type_hint only speeds up lookups on Discord; both kinds share one index here.
    if (token && grants.activeGrantOf(token.accountId)?.id === token.grantId) {
      grants.revoke(token.accountId, Date.now());
      counters.count("revocations");
    }
    sendOAuthJson(request.res, 200, {});
  }

  router.on(
    "POST",
    ["/api/v10/oauth2/token", "/api/oauth2/token"],
    guarded(context, "token", byClient, withOAuthErrors(token)),
  );
  router.on(
    "POST",
    ["/api/v10/oauth2/token/revoke", "/api/oauth2/token/revoke"],
    guarded(context, "revoke", byClient, withOAuthErrors(revoke)),
  );
}
