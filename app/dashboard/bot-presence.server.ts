import type { DiscordBot } from "~/discord/bot-api.server";
import { DiscordError, isTransient } from "~/discord/discord-error.server";

/** The bot's server list is read again when older than this. */
export const PRESENCE_FRESH_FOR_MS = 60_000;

interface Presence {
  ids: Set<string>;
  /** Date.now() when Discord listed them. */
  fetchedAt: number;
}

let presence: Presence | null = null;
let inFlight: Promise<Presence | null> | null = null;

/**
 * The servers the bot is in, per instance: Discord's list (pages of 200, at most 100,000
 * servers: a few megabytes) read at most once a minute, and kept up to date at once when
 * the bot is added through this app or found gone. Null when Discord cannot list them and
 * nothing was listed before (the pages then say presence is unknown).
 */
export async function botServers(bot: DiscordBot, now = Date.now()): Promise<ReadonlySet<string> | null> {
  if (presence && now - presence.fetchedAt < PRESENCE_FRESH_FOR_MS) return presence.ids;
  inFlight ??= refresh(bot).finally(() => (inFlight = null));
  return (await inFlight)?.ids ?? null;
}

async function refresh(bot: DiscordBot): Promise<Presence | null> {
  try {
    presence = { ids: new Set(await bot.guildIds()), fetchedAt: Date.now() };
  } catch (error) {
    if (!(error instanceof DiscordError && isTransient(error.failure))) throw error;
    // An older list beats none while Discord is away; it is read again at the next page.
  }
  return presence;
}

/**
 * The bot was just added through this app: no need to wait for the next listing. Returns
 * whether the list already had it (added again, Discord only updated its permissions).
 */
export function markBotPresent(guildId: string): boolean {
  const already = presence?.ids.has(guildId) ?? false;
  presence?.ids.add(guildId);
  return already;
}

/** Discord answered that the bot is not in the server (it was removed there). */
export function markBotAbsent(guildId: string): void {
  presence?.ids.delete(guildId);
}

/** Forgets the list (tests start over). */
export function forgetBotServers(): void {
  presence = null;
}
