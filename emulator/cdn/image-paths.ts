import { defaultAvatarIndex } from "../discord/default-avatar";
import type { Account } from "../state/accounts";

/** The CDN path of the picture Discord would show for the account. */
export function avatarPath(account: Account, size: number): string {
  return account.avatar
    ? `/avatars/${account.id}/${account.avatar}.png?size=${size}`
    : `/embed/avatars/${defaultAvatarIndex(account)}.png?size=${size}`;
}
