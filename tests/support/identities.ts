import type { DiscordIdentity } from "~/models/discord-identity";

/**
 * A Discord account with a name and nothing else (no display name, avatar or email):
 * enough for tests and benchmarks that need a user, not a profile.
 */
export function bareIdentity(discordId: string, username: string): DiscordIdentity {
  return {
    discordId,
    username,
    discriminator: null,
    globalName: null,
    avatarHash: null,
    email: null,
    emailVerified: false,
  };
}
