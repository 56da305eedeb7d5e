import type { Account } from "../state/accounts";
import type { Member } from "../state/guilds";
import { publicUserJson } from "./user-json";

/**
 * The caller's own member object in one server (PrivateGuildMemberResponse
 * in the OpenAPI description). Server avatars and banners, boosting,
 * timeouts and voice state are not emulated, so they read as a plain member's;
 * membership screening is, as `pending`.
 */
export function guildMemberJson(account: Account, member: Member) {
  return {
    user: publicUserJson(account),
    nick: member.nick,
    avatar: null,
    banner: null,
    avatar_decoration_data: null,
    collectibles: null,
    roles: member.roles,
    joined_at: new Date(member.joinedAt).toISOString(),
    premium_since: null,
    communication_disabled_until: null,
    flags: 0,
    pending: member.pending ?? false,
    mute: false,
    deaf: false,
  };
}
