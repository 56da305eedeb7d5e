import type { Guild, GuildStore, Member, Role } from "../state/guilds";

/** Control API shapes: snake_case like Discord's, permissions as decimal strings. */
export function roleJson(role: Role) {
  return { id: role.id, name: role.name, color: role.color, position: role.position };
}

export function memberJson(member: Member) {
  return {
    account_id: member.accountId,
    permissions: member.permissions.toString(),
    roles: member.roles,
    nick: member.nick,
    joined_at: new Date(member.joinedAt).toISOString(),
  };
}

export function guildJson(guilds: GuildStore, guild: Guild) {
  return {
    id: guild.id,
    name: guild.name,
    icon: guild.icon,
    owner_id: guild.ownerId,
    invite_code: guild.invite.code,
    approximate_member_count: guild.approximateMemberCount,
    approximate_presence_count: guild.approximatePresenceCount,
    roles: guilds.rolesOf(guild.id).map(roleJson),
    members: guilds.membersOf(guild.id).map(memberJson),
  };
}
