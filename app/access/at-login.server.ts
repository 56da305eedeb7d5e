import type { AccessRules } from "~/config.server";
import type { DiscordSettings } from "~/discord/discord-access.server";
import { revokeToken } from "~/discord/oauth.server";
import { log } from "~/utils/logger.server";
import { askDiscord } from "./check.server";
import type { RefusalReason, Verdict } from "./verdict";

/** The person signing in does not pass the access rules; nothing of this login was stored. */
export class AccessRefusedError extends Error {
  constructor(
    readonly reason: RefusalReason,
    /** Who was refused: an account of theirs from earlier visits may still be kept. */
    readonly discordId: string,
  ) {
    super(`Access refused: ${reason}`);
    this.name = "AccessRefusedError";
  }
}

/**
 * The check at login: after the code exchange, before anything is stored. Whenever the
 * login goes no further (refused, or Discord could not say), the grant just made is revoked
 * at Discord, so no authorisation is left dangling for an account that has nothing here.
 * Throws AccessRefusedError, or the DiscordError that kept Discord from answering.
 */
export async function admitAtLogin(
  discord: DiscordSettings,
  person: { discordId: string; accessToken: string; refreshToken: string },
  rules: AccessRules,
): Promise<Extract<Verdict, { allowed: true }>> {
  let verdict: Verdict;
  try {
    verdict = await askDiscord(discord, person.accessToken, rules);
  } catch (error) {
    await revokeQuietly(discord, person.refreshToken);
    throw error;
  }
  if (verdict.allowed) return verdict;
  await revokeQuietly(discord, person.refreshToken);
  throw new AccessRefusedError(verdict.reason, person.discordId);
}

async function revokeQuietly(discord: DiscordSettings, refreshToken: string): Promise<void> {
  try {
    await revokeToken(discord, refreshToken);
  } catch (error) {
    // Nothing is stored either way; the person can still remove the app in Discord's settings.
    log.warn("could not revoke a refused login's grant", { cause: (error as Error).message });
  }
}
