import { defaultAvatarIndex } from "../discord/default-avatar";
import type { Account } from "../state/accounts";
import type { Guild } from "../state/guilds";

/** The CDN path of the picture Discord would show for the account. */
export function avatarPath(account: Account, size: number): string {
  return account.avatar
    ? `/avatars/${account.id}/${account.avatar}.png?size=${size}`
    : `/embed/avatars/${defaultAvatarIndex(account)}.png?size=${size}`;
}

/** The CDN path of the server's icon, or null when it has none (pages then show its initials). */
export function iconPath(guild: Guild, size: number): string | null {
  return guild.icon ? `/icons/${guild.id}/${guild.icon}.png?size=${size}` : null;
}
