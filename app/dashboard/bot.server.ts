import { getConfig, type Config, type DashboardSettings } from "~/config.server";
import { DiscordBot } from "~/discord/bot-api.server";
import { BotRateLimiter } from "~/discord/bot-rate-limit.server";
import { DiscordError } from "~/discord/discord-error.server";
import { log } from "~/utils/logger.server";

/** Discord's limits on a bot token (ADR 015); each instance takes its share. */
const GLOBAL_REQUESTS_PER_SECOND = 50;
/** Half of the 10,000 invalid answers in 10 minutes that get an address banned. */
const SAFE_INVALID_PER_10_MINUTES = 5_000;
/** The longest a person's request waits for the bot's turn before "try again in N s". */
const MAX_WAIT_MS = 2_000;

let bot: DiscordBot | null = null;

/** The instance's bot, with its share of the limits; null when the dashboard is off. */
export function dashboardBot(config: Config = getConfig()): DiscordBot | null {
  if (!config.dashboard) return null;
  bot ??= createBot(config, config.dashboard);
  return bot;
}

function createBot(config: Config, dashboard: DashboardSettings): DiscordBot {
  const limiter = new BotRateLimiter({
    requestsPerSecond: Math.max(1, Math.floor(GLOBAL_REQUESTS_PER_SECOND / dashboard.instances)),
    invalidPer10Minutes: Math.max(1, Math.floor(SAFE_INVALID_PER_10_MINUTES / dashboard.instances)),
    maxWaitMs: MAX_WAIT_MS,
  });
  return new DiscordBot(
    { baseUrl: config.discord.baseUrl, token: dashboard.botToken, timeoutMs: config.discord.timeoutMs },
    limiter,
  );
}

/**
 * At start: Discord must accept the bot token. A refused one (401) stops the instance,
 * naming the variable; Discord not answering does not (the dashboard then says so).
 */
export async function botTokenProblems(config: Config): Promise<string[]> {
  const instanceBot = dashboardBot(config);
  if (!instanceBot) return [];
  try {
    await instanceBot.me();
    return [];
  } catch (error) {
    if (!(error instanceof DiscordError)) throw error;
    if (error.failure.kind === "unauthorized") {
      return [
        "DISCORD_BOT_TOKEN: Discord refused this token (401); copy your application's current bot token from the Developer Portal (Bot, Reset Token)",
      ];
    }
    log.warn("could not check DISCORD_BOT_TOKEN with Discord; starting anyway", { reason: error.message });
    return [];
  }
}
