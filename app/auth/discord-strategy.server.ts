import { createHash } from "node:crypto";
import { redirect, type SessionStorage } from "@remix-run/node";
import type { AuthenticateOptions, StrategyVerifyCallback } from "remix-auth";
import { DiscordStrategy, type DiscordExtraParams, type DiscordProfile, type DiscordScope } from "remix-auth-discord";
import type { OAuth2StrategyVerifyParams } from "remix-auth-oauth2";
import type { JoinReport } from "~/community/join.server";
import type { SyncOutcome } from "~/community/linked-roles.server";
import type { DB } from "~/db/db.server";
import { fetchCurrentUser, type DiscordUser } from "~/discord/api.server";
import { DiscordError } from "~/discord/discord-error.server";
import type { DiscordSettings } from "~/discord/discord-access.server";
import { exchangeCode } from "~/discord/oauth.server";
import { consumeLoginAttempt, createLoginAttempt } from "~/models/login-attempt.server";
import { LoginError, loginFailureFromDiscord, type LoginFailure } from "./login-error.server";
import { safeReturnTo } from "./return-to";

export const CALLBACK_PATH = "/auth/discord/callback";

type VerifyParams = OAuth2StrategyVerifyParams<DiscordProfile, DiscordExtraParams>;

/** What the login cookie carries while a login is in flight. */
export interface LoginInFlight {
  /** OAuth state sent to Discord (the database keeps only its hash, with the PKCE verifier). */
  state: string;
  /** Where to go once the login succeeds. */
  returnTo: string;
  /** Set when a signed-in person is asked for more scopes: whose session the login keeps. */
  upgrade?: UpgradeOf;
  /** Set when the person asked to join the community server ("Join and continue"). */
  join?: true;
}

/** The signed-in person an upgrade is for: Discord must answer for this very account. */
export interface UpgradeOf {
  userId: string;
  discordId: string;
}

/** How the login route's action starts a login (remix-auth's `context`). */
export interface LoginStart {
  start: true;
  /** As the form sent it: checked by safeReturnTo. */
  returnTo: unknown;
  /** Discord skips its screen with "none" only when every scope asked was granted before. */
  prompt: "none" | "consent";
  /** The scopes to ask for, when not DISCORD_SCOPES (an upgrade, a join). */
  scopes?: string[];
  upgrade?: UpgradeOf;
  join?: true;
}

/**
 * What the callback tells the verify callback (remix-auth's `context`), and what verify
 * reports back in it, as remix-auth returns nothing but the user.
 */
// A type, not an interface: remix-auth's context is an index signature, which only type
// literals satisfy; and the very object, not a copy, so verify's report reaches the caller.
export type LoginFinish = {
  upgrade?: UpgradeOf;
  join?: true;
  /** Set by verify: what joining the community server did, if it was due. */
  joined?: JoinReport | null;
  /** Set by verify: what sending the Linked Roles connection did, when the token allows it. */
  linked?: SyncOutcome;
  /** Set by verify: the scopes Discord granted, as its token response says. */
  granted?: readonly string[];
};

export interface DiscordLoginSettings {
  discord: DiscordSettings;
  appUrl: string;
  db: DB;
}

/**
 * remix-auth-discord's strategy with the gaps of remix-auth-oauth2 1.11 closed:
 * - PKCE (S256) on every authorization request, the verifier kept on the server;
 * - a single-use state: consumed from the database on the first callback, on any instance;
 * - `error=access_denied` and every other failure classified (LoginError), never "Missing code.";
 * - token and profile responses checked for status and shape before anything is stored;
 * - the callback URL is always the absolute ${APP_URL}/auth/discord/callback, never
 *   derived from X-Forwarded-Host;
 * - the session storage it is given is the login cookie's (auth/cookies.server.ts), which
 *   holds only the login in flight; the session itself is begun by the caller.
 * The `verify` callback keeps the library's signature.
 */
export class DiscordLoginStrategy<User> extends DiscordStrategy<User> {
  override name = "discord";
  private readonly settings: DiscordLoginSettings;

  constructor(settings: DiscordLoginSettings, verify: StrategyVerifyCallback<User, VerifyParams>) {
    const { discord, appUrl } = settings;
    super(
      {
        clientID: discord.clientId,
        clientSecret: discord.clientSecret,
        callbackURL: `${appUrl}${CALLBACK_PATH}`,
        scope: discord.scopes as DiscordScope[],
      },
      verify,
    );
    this.settings = settings;
    this.authorizationURL = `${discord.baseUrl}/oauth2/authorize`;
    this.tokenURL = `${discord.baseUrl}/api/v10/oauth2/token`;
  }

  override async authenticate(
    request: Request,
    sessionStorage: SessionStorage<LoginInFlight>,
    options: AuthenticateOptions,
  ): Promise<User> {
    const cookie = await sessionStorage.getSession(request.headers.get("Cookie"));
    // Only the login route's action starts a login, and says so. Deciding by the path
    // would let GETs to the callback under another spelling (a trailing slash, other
    // case, percent-encoding: Remix routes them all here) start logins without the
    // POST and Origin checks.
    if (options.context?.start === true) {
      // Starting a login: remember it, then send the browser to Discord.
      const start = options.context as unknown as LoginStart;
      const { state, codeVerifier } = await createLoginAttempt(this.settings.db);
      cookie.set("state", state);
      cookie.set("returnTo", safeReturnTo(start.returnTo));
      if (start.upgrade) cookie.set("upgrade", start.upgrade);
      if (start.join) cookie.set("join", true);
      throw redirect(this.authorizationUrl(state, codeVerifier, start).toString(), {
        headers: { "Set-Cookie": await sessionStorage.commitSession(cookie) },
      });
    }
    return this.completeLogin(request, cookie.get("state"), options);
  }

  private authorizationUrl(state: string, codeVerifier: string, start: LoginStart): URL {
    const url = new URL(this.authorizationURL);
    const params = this.authorizationParams(); // scope (DISCORD_SCOPES)
    if (start.scopes) params.set("scope", start.scopes.join(" "));
    params.set("prompt", start.prompt);
    params.set("response_type", "code");
    params.set("client_id", this.clientID);
    params.set("redirect_uri", this.callbackURL);
    params.set("state", state);
    params.set("code_challenge", createHash("sha256").update(codeVerifier).digest("base64url"));
    params.set("code_challenge_method", "S256");
    url.search = params.toString();
    return url;
  }

  private async completeLogin(request: Request, expectedState: string | undefined, options: AuthenticateOptions) {
    const params = new URL(request.url).searchParams;
    // Two codes or two states make the answer ambiguous; a proxy or an attacker added one.
    if (["state", "code", "error"].some((name) => params.getAll(name).length > 1))
      fail({ reason: "malformed_callback" });
    if (!expectedState) fail({ reason: "no_state_in_cookie" });
    if (params.get("state") !== expectedState) fail({ reason: "state_mismatch" });
    // Consumed before anything else, so even a failed callback cannot be replayed.
    const codeVerifier = await consumeLoginAttempt(this.settings.db, expectedState);
    if (!codeVerifier) fail({ reason: "attempt_used_or_expired" });

    const error = params.get("error");
    if (error === "access_denied") fail({ reason: "denied" });
    // Only a well-formed OAuth error code is repeated back to the person.
    if (error) fail({ reason: "discord_refused", error: /^[a-z_]{1,40}$/.test(error) ? error : "unknown_error" });
    const code = params.get("code");
    if (!code || code.length > 512) fail({ reason: "missing_code" });

    try {
      const { discord } = this.settings;
      const tokens = await exchangeCode(discord, { code, codeVerifier, redirectUri: this.callbackURL });
      const profile = toLibraryProfile(await fetchCurrentUser(discord, tokens.accessToken));
      const expiresIn = Math.max(0, Math.round((tokens.expiresAt.getTime() - Date.now()) / 1000));
      return await this.verify({
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        // The library types expires_in as Discord's default lifetime; the real value varies.
        extraParams: {
          expires_in: expiresIn,
          token_type: "Bearer",
          scope: tokens.scopes,
        } as unknown as DiscordExtraParams,
        profile,
        context: options.context,
        request,
      });
    } catch (error) {
      if (error instanceof DiscordError) fail(loginFailureFromDiscord(error.failure), error);
      throw error;
    }
  }
}

function fail(failure: LoginFailure, cause?: Error): never {
  throw new LoginError(failure, cause);
}

/** The library's profile shape, built from a user object that has already been validated. */
function toLibraryProfile(user: DiscordUser): DiscordProfile {
  return {
    provider: "discord",
    id: user.id,
    displayName: user.global_name ?? user.username,
    emails: user.email ? [{ value: user.email }] : undefined,
    photos: user.avatar ? [{ value: user.avatar }] : undefined,
    __json: {
      ...user,
      discriminator: user.discriminator ?? "0",
      global_name: user.global_name ?? null,
      avatar: user.avatar ?? null,
    },
  };
}
