import { createCookieSessionStorage } from "@remix-run/node";
import { Authenticator } from "remix-auth";
import { admitAtLogin } from "~/access/at-login.server";
import { rulesFingerprint } from "~/access/check.server";
import { getConfig } from "~/config.server";
import { getDb } from "~/db/db.server";
import type { User } from "~/db/schema";
import { toIdentity } from "~/discord/api.server";
import { recordAccessAtLogin } from "~/models/access-check.server";
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
    // The verify callback, with remix-auth-discord's signature: check the access rules
    // first, then store who logged in, their tokens and where they stand with the rules,
    // together or not at all, so no user is ever left without tokens.
    async ({ accessToken, refreshToken, extraParams, profile }) => {
      if (!refreshToken) throw new LoginError({ reason: "bad_profile" });
      const { access } = config;
      const person = { discordId: profile.id, accessToken, refreshToken };
      const passed = access ? await admitAtLogin(config.discord, person, access) : null;
      const expiresAt = new Date(Date.now() + Number(extraParams.expires_in) * 1000);
      return db.transaction().execute(async (tx) => {
        const user = await upsertUserFromDiscord(tx, toIdentity(profile.__json));
        await saveTokens(
          tx,
          user.id,
          { accessToken, refreshToken, expiresAt, scopes: extraParams.scope },
          config.tokenEncryptionKeys,
        );
        if (access && passed) {
          const nextCheckAt = new Date(Date.now() + access.recheckMs);
          await recordAccessAtLogin(tx, user.id, { rules: rulesFingerprint(access), ...passed, nextCheckAt });
        }
        return user;
      });
    },
  );
  const loginCookie = createCookieSessionStorage<LoginInFlight>({ cookie: appCookie("login") });
  authenticator = new Authenticator<User>(loginCookie, { throwOnError: true }).use(strategy);
  return authenticator;
}
