import type { User } from "~/db/schema";
import { avatarUrl } from "~/discord/cdn";

/**
 * The only shape of a user that leaves the server (pages and GET /api/auth/user):
 * an explicit list of fields, so nothing stored (tokens above all) leaks by accident.
 */
export interface PublicProfile {
  id: string;
  discordId: string;
  username: string;
  /** "username#1234" for legacy accounts, else the bare username. */
  tag: string;
  globalName: string | null;
  displayName: string;
  avatarUrl: string;
  email: string | null;
  emailVerified: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

export function toPublicProfile(user: User, cdnUrl: string): PublicProfile {
  return {
    id: user.id,
    discordId: user.discord_id,
    username: user.username,
    tag: user.discriminator ? `${user.username}#${user.discriminator}` : user.username,
    globalName: user.global_name,
    displayName: user.global_name ?? user.username,
    avatarUrl: avatarUrl(cdnUrl, {
      discordId: user.discord_id,
      avatarHash: user.avatar_hash,
      discriminator: user.discriminator,
    }),
    email: user.email,
    emailVerified: user.email_verified,
    createdAt: user.created_at.toISOString(),
    lastLoginAt: user.last_login_at?.toISOString() ?? null,
  };
}
