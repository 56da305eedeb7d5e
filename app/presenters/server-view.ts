import { guildIconUrl } from "~/discord/cdn";
import type { CachedGuild } from "~/discord/guild-cache.server";
import { managesServer, notablePermissions } from "~/discord/permissions";

/** A server as the servers page shows it. */
export interface ServerView {
  id: string;
  name: string;
  iconUrl: string | null;
  /** Up to two letters, for servers without an icon (as Discord's client does). */
  initials: string;
  owner: boolean;
  permissions: string[];
  memberCount: number | null;
  onlineCount: number | null;
  /** One of the servers the access rules require. */
  required: boolean;
  /** Owner, Administrator or Manage Server there, by the list's permissions. */
  manages: boolean;
  /** With the bot dashboard on, where the person manages: whether the bot is there (null: unknown). */
  botPresent: boolean | null;
}

/** What the page knows of the bot: the servers it is in, or null when the dashboard is off or Discord cannot say. */
export interface BotPresenceView {
  servers: ReadonlySet<string> | null;
}

/** Required servers first, then owned ones, then by name. */
export function toServerViews(
  guilds: CachedGuild[],
  cdnUrl: string,
  requiredIds: ReadonlySet<string> = new Set(),
  bot: BotPresenceView | null = null,
): ServerView[] {
  return guilds
    .map((guild) => ({
      id: guild.id,
      name: guild.name,
      iconUrl: guildIconUrl(cdnUrl, guild.id, guild.icon),
      initials: initialsOf(guild.name),
      owner: guild.owner,
      permissions: notablePermissions(guild.permissions),
      memberCount: guild.approximate_member_count ?? null,
      onlineCount: guild.approximate_presence_count ?? null,
      required: requiredIds.has(guild.id),
      manages: managesServer(guild),
      botPresent: bot?.servers ? bot.servers.has(guild.id) : null,
    }))
    .sort(
      (a, b) =>
        Number(b.required) - Number(a.required) || Number(b.owner) - Number(a.owner) || a.name.localeCompare(b.name),
    );
}

function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  return words
    .slice(0, 2)
    .map((word) => Array.from(word)[0] ?? "")
    .join("")
    .toUpperCase();
}
