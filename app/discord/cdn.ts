/** Discord CDN addresses, per https://discord.com/developers/docs/reference#image-formatting */

export interface AvatarOwner {
  discordId: string;
  avatarHash: string | null;
  /** Legacy four-digit discriminator; null for new-style usernames. */
  discriminator: string | null;
}

/** The user's own avatar, or the default Discord would show for them. */
export function avatarUrl(cdnUrl: string, owner: AvatarOwner, size = 128): string {
  if (owner.avatarHash) {
    return `${cdnUrl}/avatars/${owner.discordId}/${encodeURIComponent(owner.avatarHash)}.png?size=${size}`;
  }
  return `${cdnUrl}/embed/avatars/${defaultAvatarIndex(owner)}.png`;
}

/** New usernames: (id >> 22) % 6. Legacy accounts: discriminator % 5. */
export function defaultAvatarIndex({
  discordId,
  discriminator,
}: Pick<AvatarOwner, "discordId" | "discriminator">): number {
  if (discriminator) return Number(discriminator) % 5;
  return Number((BigInt(discordId) >> 22n) % 6n);
}

export function guildIconUrl(cdnUrl: string, guildId: string, iconHash: string | null, size = 64): string | null {
  return iconHash ? `${cdnUrl}/icons/${guildId}/${encodeURIComponent(iconHash)}.png?size=${size}` : null;
}
