import { z } from "zod";
import type { TokenSet } from "~/models/discord-token.server";
import type { DiscordSettings } from "./discord-access.server";
import { DiscordError } from "./discord-error.server";
import { callDiscord, readJson } from "./discord-http.server";

const tokenResponse = z.object({
  access_token: z.string().min(1).max(4096),
  token_type: z.string().regex(/^bearer$/i),
  expires_in: z
    .number()
    .int()
    .positive()
    .max(10 * 365 * 24 * 3600),
  refresh_token: z.string().min(1).max(4096),
  scope: z.string().max(1000),
});

const oauthErrorBody = z.object({ error: z.string().max(100) });

/** After adding the bot, Discord's token response names the server it was added to. */
const botTokenResponse = tokenResponse.extend({
  guild: z.object({ id: z.string().regex(/^\d{1,20}$/), name: z.string().max(100) }),
});

/**
 * Trades the code of a bot authorization for Discord's confirmation of where the bot was
 * added. The tokens that come with it are dropped unread (docs/decisions/016-bot-authorization-token.md).
 */
export async function exchangeBotCode(
  discord: DiscordSettings,
  params: { code: string; redirectUri: string },
): Promise<{ guildId: string; guildName: string }> {
  const form = { grant_type: "authorization_code", code: params.code, redirect_uri: params.redirectUri };
  const response = await postForm(discord, "bot authorization", "/api/v10/oauth2/token", form);
  if (!response.ok) {
    const body = await readJson("bot authorization", response, oauthErrorBody).catch(() => ({ error: "unknown" }));
    throw new DiscordError(
      "bot authorization",
      body.error === "invalid_grant"
        ? { kind: "invalid_grant" }
        : { kind: "rejected", status: response.status, code: body.error },
    );
  }
  const { guild } = await readJson("bot authorization", response, botTokenResponse);
  return { guildId: guild.id, guildName: guild.name };
}

/** Trades an authorization code (and its PKCE verifier) for tokens. */
export function exchangeCode(
  discord: DiscordSettings,
  params: { code: string; codeVerifier: string; redirectUri: string },
): Promise<TokenSet> {
  return requestTokens(discord, "code exchange", {
    grant_type: "authorization_code",
    code: params.code,
    code_verifier: params.codeVerifier,
    redirect_uri: params.redirectUri,
  });
}

/** Trades a refresh token for new tokens. Discord rotates: the old refresh token dies. */
export function refreshTokens(discord: DiscordSettings, refreshToken: string): Promise<TokenSet> {
  return requestTokens(discord, "token refresh", { grant_type: "refresh_token", refresh_token: refreshToken });
}

/**
 * Revokes the whole grant the token belongs to (every access and refresh token of it).
 * A token Discord calls already invalid has nothing left to revoke: that is success.
 */
export async function revokeToken(discord: DiscordSettings, token: string): Promise<void> {
  const response = await postForm(discord, "revocation", "/api/v10/oauth2/token/revoke", {
    token,
    token_type_hint: "refresh_token",
  });
  if (response.ok) {
    await response.body?.cancel();
    return;
  }
  const body = await readJson("revocation", response, oauthErrorBody).catch(() => ({ error: "unknown" }));
  if (response.status === 400 && (body.error === "invalid_grant" || body.error === "invalid_token")) return;
  throw new DiscordError("revocation", { kind: "rejected", status: response.status, code: body.error });
}

async function requestTokens(
  discord: DiscordSettings,
  operation: string,
  form: Record<string, string>,
  now = Date.now(),
): Promise<TokenSet> {
  const response = await postForm(discord, operation, "/api/v10/oauth2/token", form);
  if (!response.ok) {
    const body = await readJson(operation, response, oauthErrorBody).catch(() => ({ error: "unknown" }));
    throw new DiscordError(
      operation,
      body.error === "invalid_grant"
        ? { kind: "invalid_grant" }
        : { kind: "rejected", status: response.status, code: body.error },
    );
  }
  const tokens = await readJson(operation, response, tokenResponse);
  return {
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    expiresAt: new Date(now + tokens.expires_in * 1000),
    scopes: tokens.scope.split(/\s+/).filter(Boolean),
  };
}

function postForm(discord: DiscordSettings, operation: string, path: string, form: Record<string, string>) {
  const credentials = Buffer.from(`${discord.clientId}:${discord.clientSecret}`).toString("base64");
  return callDiscord({
    operation,
    url: `${discord.baseUrl}${path}`,
    timeoutMs: discord.timeoutMs,
    init: {
      method: "POST",
      headers: {
        Authorization: `Basic ${credentials}`,
        "Content-Type": "application/x-www-form-urlencoded",
        Accept: "application/json",
      },
      body: new URLSearchParams(form),
    },
  });
}
