import { createCookieSessionStorage } from "@remix-run/node";
import { Authenticator } from "remix-auth";
import { getConfig } from "~/config.server";
import { getDb } from "~/db/db.server";
import type { User } from "~/db/schema";
import { toIdentity } from "~/discord/api.server";
import { saveTokens } from "~/models/discord-token.server";
import { upsertUserFromDiscord } from "~/models/user.server";
import { appCookie } from "./cookies.server";
import { DiscordLoginStrategy, type LoginInFlight } from "./discord-strategy.server";
import { LoginError } from "./login-error.server";

let authenticator: Authenticator<User> | undefined;

/**
 * remix-auth's Authenticator with the Discord strategy. Its session storage is the login
 * cookie: it holds the login in flight and nothing else. Failures are thrown, never redirected.
 */
export function getAuthenticator(): Authenticator<User> {
  if (authenticator) return authenticator;
  const config = getConfig();
  const db = getDb();
  const strategy = new DiscordLoginStrategy<User>(
    { discord: config.discord, appUrl: config.appUrl, db },
    // The verify callback, with remix-auth-discord's signature: store who logged in and
    // their tokens, together or not at all, so no user is ever left without tokens.
    async ({ accessToken, refreshToken, extraParams, profile }) => {
      if (!refreshToken) throw new LoginError({ reason: "bad_profile" });
      const expiresAt = new Date(Date.now() + Number(extraParams.expires_in) * 1000);
      return db.transaction().execute(async (tx) => {
        const user = await upsertUserFromDiscord(tx, toIdentity(profile.__json));
        await saveTokens(
          tx,
          user.id,
          { accessToken, refreshToken, expiresAt, scopes: extraParams.scope },
          config.tokenEncryptionKeys,
        );
        return user;
      });
    },
  );
  const loginCookie = createCookieSessionStorage<LoginInFlight>({ cookie: appCookie("login") });
  authenticator = new Authenticator<User>(loginCookie, { throwOnError: true }).use(strategy);
  return authenticator;
}
