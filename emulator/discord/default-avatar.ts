/**
 * Users without a custom avatar get one of Discord's default avatars,
 * served at /embed/avatars/{index}.png.
 * https://discord.com/developers/docs/reference#image-formatting-cdn-endpoints
 */
export const DEFAULT_AVATAR_COUNT = 6;

export interface AvatarIdentity {
  readonly id: string;
  readonly discriminator: string;
}

/**
 * Migrated usernames (discriminator "0") pick from all six by the id's
 * timestamp bits; legacy "name#1234" accounts pick from the first five by
 * discriminator, the rule from before the sixth avatar existed.
 */
export function defaultAvatarIndex(user: AvatarIdentity): number {
  if (user.discriminator === "0") {
    return Number((BigInt(user.id) >> 22n) % BigInt(DEFAULT_AVATAR_COUNT));
  }
  return Number(user.discriminator) % 5;
}
