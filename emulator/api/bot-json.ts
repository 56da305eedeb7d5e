import { ORDINARY_MEMBER } from "../discord/permissions";
import type { ApplicationBot } from "../state/bot";
import type { Channel, Guild, Role } from "../state/guilds";
import type { PostedMessage } from "../state/messages";

// Discord's shapes for what a bot token reads, named as in the OpenAPI description.

/** A bot user as /users/@me answers its own token (UserPIIResponse, with `bot: true`). */
export function botUserJson(bot: ApplicationBot) {
  return {
    ...botAuthorJson(bot),
    mfa_enabled: true,
    locale: "en-US",
    premium_type: 0,
    email: null,
    verified: true,
  };
}

/** The bot as the author of a message (UserResponse). Bots keep four-digit discriminators. */
function botAuthorJson(bot: ApplicationBot) {
  return {
    id: bot.id,
    username: bot.username,
    avatar: null,
    discriminator: "0001",
    public_flags: 0,
    flags: 0,
    bot: true,
    banner: null,
    accent_color: null,
    global_name: null,
    avatar_decoration_data: null,
    collectibles: null,
    primary_guild: null,
  };
}

/** GuildRoleResponse. Roles are labels here (permissions sit on members), so they grant nothing. */
function roleJson(role: Pick<Role, "id" | "name" | "color" | "position">, permissions: bigint) {
  return {
    id: role.id,
    name: role.name,
    permissions: permissions.toString(),
    position: role.position,
    color: role.color,
    colors: { primary_color: role.color, secondary_color: null, tertiary_color: null },
    hoist: false,
    managed: false,
    mentionable: false,
    icon: null,
    unicode_emoji: null,
    flags: 0,
  };
}

/** GET /guilds/{id} (GuildWithCountsResponse; the counts only with `with_counts=true`). */
export function guildJson(guild: Guild, roles: readonly Role[], withCounts: boolean) {
  // @everyone's id is the server's, at position 0, holding what every member holds.
  const everyone = roleJson({ id: guild.id, name: "@everyone", color: 0, position: 0 }, ORDINARY_MEMBER);
  return {
    id: guild.id,
    name: guild.name,
    icon: guild.icon,
    description: null,
    home_header: null,
    splash: null,
    discovery_splash: null,
    features: guild.features,
    banner: null,
    owner_id: guild.ownerId,
    application_id: null,
    region: "deprecated",
    afk_channel_id: null,
    afk_timeout: 300,
    system_channel_id: guild.invite.channelId,
    system_channel_flags: 0,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: 1,
    roles: [everyone, ...roles.map((role) => roleJson(role, 0n))],
    default_message_notifications: 1,
    mfa_level: 0,
    explicit_content_filter: 2,
    max_presences: null,
    max_members: 500_000,
    max_stage_video_channel_users: 50,
    max_video_channel_users: 25,
    vanity_url_code: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    preferred_locale: "en-US",
    rules_channel_id: null,
    safety_alerts_channel_id: null,
    public_updates_channel_id: null,
    premium_progress_bar_enabled: false,
    nsfw: false,
    nsfw_level: 0,
    emojis: [],
    stickers: [],
    incidents_data: null,
    ...(withCounts
      ? {
          approximate_member_count: guild.approximateMemberCount,
          approximate_presence_count: guild.approximatePresenceCount,
        }
      : {}),
  };
}

/** One entry of GET /guilds/{id}/channels (GuildChannelResponse). */
export function channelJson(channel: Channel) {
  const base = {
    id: channel.id,
    type: channel.type,
    flags: 0,
    guild_id: channel.guildId,
    name: channel.name,
    parent_id: channel.parentId,
    position: channel.position,
    permission_overwrites: [],
  };
  switch (channel.type) {
    case 0:
    case 5:
      return { ...base, last_message_id: null, topic: channel.topic, nsfw: false, rate_limit_per_user: 0 };
    case 2:
      return { ...base, last_message_id: null, bitrate: 64_000, user_limit: 0, rtc_region: null, nsfw: false };
    case 4:
      return base;
  }
}

/** What POST /channels/{id}/messages answers (MessageResponse): a plain message, type 0. */
export function messageJson(message: PostedMessage, bot: ApplicationBot) {
  return {
    type: 0,
    content: message.content,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    timestamp: new Date(message.postedAt).toISOString(),
    edited_timestamp: null,
    flags: 0,
    components: [],
    id: message.id,
    channel_id: message.channelId,
    author: botAuthorJson(bot),
    pinned: false,
    mention_everyone: false,
    tts: false,
  };
}
