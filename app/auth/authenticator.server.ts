import { createCookieSessionStorage } from "@remix-run/node";
import { Authenticator } from "remix-auth";
import { admitAtLogin } from "~/access/at-login.server";
import { rulesFingerprint } from "~/access/check.server";
import { joinAtSignIn, recordJoin } from "~/community/join.server";
import { LINKED_ROLES_SCOPE, syncRoleConnection } from "~/community/linked-roles.server";
import { getConfig } from "~/config.server";
import { getDb } from "~/db/db.server";
import type { User } from "~/db/schema";
import { toIdentity } from "~/discord/api.server";
import { recordAccessAtLogin } from "~/models/access-check.server";
import { saveTokens } from "~/models/discord-token.server";
import { upsertUserFromDiscord } from "~/models/user.server";
import { appCookie } from "./cookies.server";
import { DiscordLoginStrategy, type LoginFinish, type LoginInFlight } from "./discord-strategy.server";
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
    // The verify callback, with remix-auth-discord's signature: join the community server
    // when due, check the access rules, then store who logged in, their tokens and where
    // they stand, together or not at all, so no user is ever left without tokens.
    async ({ accessToken, refreshToken, extraParams, profile, context }) => {
      if (!refreshToken) throw new LoginError({ reason: "bad_profile" });
      const finish = (context ?? {}) as LoginFinish;
      const { upgrade } = finish;
      if (upgrade && upgrade.discordId !== profile.id) {
        // Discord answered for the account its browser is logged in to, not the one
        // signed in here. Nothing is stored; the grant is left alone, as revoking it would
        // also cut off that account's own use of this site, if it has any.
        throw new LoginError({ reason: "other_account" });
      }
      finish.granted = extraParams.scope;
      const { access, join } = config;
      const person = { discordId: profile.id, accessToken, refreshToken };
      // Joining the community server comes first, as it may be what lets the person in;
      // reported back even when the rules then refuse. An upgrade is no sign-in: no join.
      const attempt = { ...person, grantedScopes: extraParams.scope, asked: finish.join === true };
      finish.joined = upgrade ? null : await joinAtSignIn(db, join, attempt);
      const passed = access ? await admitAtLogin(config.discord, person, access) : null;
      const expiresAt = new Date(Date.now() + Number(extraParams.expires_in) * 1000);
      const user = await db.transaction().execute(async (tx) => {
        const user = await upsertUserFromDiscord(tx, toIdentity(profile.__json));
        await recordJoin(tx, user.id, join, finish.joined ?? null);
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
      // After the commit, never inside it: a call to Discord holds no transaction open.
      if (config.linkedRoles && extraParams.scope.includes(LINKED_ROLES_SCOPE)) {
        finish.linked = await syncRoleConnection(db, config.discord, user, accessToken);
      }
      return user;
    },
  );
  const loginCookie = createCookieSessionStorage<LoginInFlight>({ cookie: appCookie("login") });
  authenticator = new Authenticator<User>(loginCookie, { throwOnError: true }).use(strategy);
  return authenticator;
}
