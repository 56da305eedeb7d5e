import type { Account } from "../state/accounts";

/** Discord's public user object (UserResponse in the OpenAPI description). */
export function publicUserJson(account: Account) {
  return {
    id: account.id,
    username: account.username,
    avatar: account.avatar,
    discriminator: account.discriminator,
    public_flags: account.publicFlags,
    flags: account.publicFlags,
    banner: null,
    accent_color: null,
    global_name: account.globalName,
    avatar_decoration_data: null,
    collectibles: null,
    primary_guild: null,
  };
}

/**
 * The user object /users/@me returns (UserPIIResponse): private fields are
 * added, and email/verified only when the token carries the email scope.
 */
export function currentUserJson(account: Account, withEmail: boolean) {
  return {
    ...publicUserJson(account),
    mfa_enabled: account.mfaEnabled,
    locale: account.locale,
    premium_type: account.premiumType,
    ...(withEmail ? { email: account.email, verified: account.verified } : {}),
  };
}
