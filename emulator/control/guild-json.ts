import type { BotPresence, Channel, Guild, GuildStore, Member, Role } from "../state/guilds";
import type { MessageStore, PostedMessage } from "../state/messages";

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

export function botPresenceJson(bot: BotPresence | null) {
  return bot && { permissions: bot.permissions.toString(), joined_at: new Date(bot.joinedAt).toISOString() };
}

function messageJson(message: PostedMessage) {
  return {
    id: message.id,
    author_id: message.authorId,
    content: message.content,
    posted_at: new Date(message.postedAt).toISOString(),
  };
}

/** A channel with the messages the bot posted there, oldest first: what a test checks arrived. */
function channelJson(channel: Channel, messages: MessageStore) {
  return {
    id: channel.id,
    name: channel.name,
    type: channel.type,
    parent_id: channel.parentId,
    messages: messages.in(channel.id).map(messageJson),
  };
}

export function guildJson(guilds: GuildStore, messages: MessageStore, guild: Guild) {
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
    bot: botPresenceJson(guilds.botIn(guild.id)),
    channels: guilds.channelsOf(guild.id).map((channel) => channelJson(channel, messages)),
  };
}
