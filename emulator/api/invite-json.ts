import type { Guild } from "../state/guilds";

/** Discord's invite types; every emulated invite leads into a server. */
const GUILD_INVITE = 0;
const GUILD_TEXT_CHANNEL = 0;

/**
 * A resolved server invite (GuildInviteResponse in the OpenAPI description):
 * the public preview of the server that anyone holding the code may see.
 * Emulated invites never expire and open the server's "general" channel.
 */
export function guildInviteJson(guild: Guild) {
  return {
    type: GUILD_INVITE,
    code: guild.invite.code,
    expires_at: null,
    flags: 0,
    guild_id: guild.id,
    guild: {
      id: guild.id,
      name: guild.name,
      icon: guild.icon,
      splash: null,
      banner: null,
      description: null,
      features: guild.features,
      verification_level: 0,
      vanity_url_code: null,
      nsfw_level: 0,
      nsfw: false,
      premium_subscription_count: 0,
    },
    channel: { id: guild.invite.channelId, type: GUILD_TEXT_CHANNEL, name: "general" },
  };
}
