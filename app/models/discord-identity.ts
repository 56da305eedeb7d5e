/** What the app keeps of a Discord account, already validated at the boundary. */
export interface DiscordIdentity {
  discordId: string;
  username: string;
  /** Legacy four-digit discriminator, null for new-style usernames. */
  discriminator: string | null;
  globalName: string | null;
  avatarHash: string | null;
  email: string | null;
  emailVerified: boolean;
}
