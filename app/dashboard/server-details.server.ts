import { MESSAGE_CHANNEL_TYPES, type DiscordBot } from "~/discord/bot-api.server";
import { guildIconUrl } from "~/discord/cdn";
import { markBotAbsent } from "./bot-presence.server";

/** A server as its settings page shows it, read with the bot's token. */
export interface ServerDetails {
  id: string;
  name: string;
  iconUrl: string | null;
  memberCount: number;
  onlineCount: number;
  /** Where the bot's messages can go: text and announcement channels, in Discord's order. */
  channels: { id: string; name: string }[];
}

/** Read again from Discord when older than this: pages in between cost no call. */
const FRESH_FOR_MS = 60_000;
/** Servers remembered per instance; the least recently read go first. */
const MAX_SERVERS = 1_000;

const remembered = new Map<string, { details: ServerDetails; fetchedAt: number }>();
const inFlight = new Map<string, Promise<ServerDetails | null>>();

/**
 * The server's name, icon, approximate counts and message channels, at most a minute old;
 * null when the bot is not in it (which the bot's server list then learns at once).
 * Throws DiscordError when Discord cannot answer.
 */
export async function serverDetails(bot: DiscordBot, guildId: string, cdnUrl: string): Promise<ServerDetails | null> {
  const known = remembered.get(guildId);
  if (known && Date.now() - known.fetchedAt < FRESH_FOR_MS) return known.details;
  let pending = inFlight.get(guildId);
  if (!pending) {
    pending = read(bot, guildId, cdnUrl).finally(() => inFlight.delete(guildId));
    inFlight.set(guildId, pending);
  }
  return pending;
}

async function read(bot: DiscordBot, guildId: string, cdnUrl: string): Promise<ServerDetails | null> {
  const [guild, channels] = await Promise.all([bot.guild(guildId), bot.channels(guildId)]);
  if (!guild || !channels) {
    remembered.delete(guildId);
    markBotAbsent(guildId);
    return null;
  }
  const details: ServerDetails = {
    id: guild.id,
    name: guild.name,
    iconUrl: guildIconUrl(cdnUrl, guild.id, guild.icon ?? null),
    memberCount: guild.approximate_member_count,
    onlineCount: guild.approximate_presence_count,
    channels: channels
      .filter((channel) => MESSAGE_CHANNEL_TYPES.has(channel.type))
      .sort((a, b) => a.position - b.position || a.name.localeCompare(b.name))
      .map((channel) => ({ id: channel.id, name: channel.name })),
  };
  remembered.delete(guildId);
  remembered.set(guildId, { details, fetchedAt: Date.now() });
  if (remembered.size > MAX_SERVERS) remembered.delete(remembered.keys().next().value!);
  return details;
}

/** Forgets a server (the bot was added or removed there, or a test starts over). */
export function forgetServerDetails(guildId?: string): void {
  if (guildId === undefined) remembered.clear();
  else remembered.delete(guildId);
}
