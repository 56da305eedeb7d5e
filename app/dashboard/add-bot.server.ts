import { randomBytes } from "node:crypto";
import { redirect } from "@remix-run/node";
import { z } from "zod";
import { appCookie, carriesCookie, clearCookie, readCookie } from "~/auth/cookies.server";
import type { Config, DashboardSettings } from "~/config.server";
import { DiscordError } from "~/discord/discord-error.server";
import { exchangeBotCode } from "~/discord/oauth.server";
import { markBotPresent } from "./bot-presence.server";
import { missingPermissions, type MissingPermission } from "./bot-permissions";

/** Where Discord sends the person back; registered as a redirect of the application. */
export const BOT_ADDED_PATH = "/servers/bot-added";
const BOT_SCOPES = "bot applications.commands";

const snowflake = z.string().regex(/^\d{1,20}$/);
/** What the bot-add cookie holds while Discord's screen is open. */
const pendingSchema = z.object({ state: z.string().length(43), guildId: snowflake, userId: z.uuid() });

/**
 * Sends the person to Discord's screen for adding the bot to one server (which they have
 * been found to manage), the server fixed, with the permissions DISCORD_BOT_PERMISSIONS
 * asks for; the state, the server and the person wait in a signed cookie.
 */
export async function startAddingBot(config: Config, dashboard: DashboardSettings, userId: string, guildId: string) {
  const state = randomBytes(32).toString("base64url");
  const url = new URL("/oauth2/authorize", config.discord.baseUrl);
  url.search = new URLSearchParams({
    client_id: config.discord.clientId,
    scope: BOT_SCOPES,
    permissions: dashboard.botPermissions.toString(),
    guild_id: guildId,
    disable_guild_select: "true",
    integration_type: "0",
    response_type: "code",
    redirect_uri: `${config.appUrl}${BOT_ADDED_PATH}`,
    state,
  }).toString();
  const cookie = await appCookie("bot-add").serialize({ state, guildId, userId });
  return redirect(url.toString(), { headers: { "Set-Cookie": cookie } });
}

export type BotAddOutcome =
  /** `already`: the bot was in the server before, and Discord only updated its permissions. */
  | { kind: "added"; guildId: string; guildName: string; missing: MissingPermission[]; already: boolean }
  | { kind: "cancelled"; guildId: string }
  /** No screen of this person's is waiting: the link is old, reused, or someone else's. */
  | { kind: "expired" }
  /** Discord answered for another server than the one asked for. */
  | { kind: "other_server" }
  /** Discord did not confirm the code (already used, expired). */
  | { kind: "not_confirmed" };

/**
 * Where the person comes back from Discord's screen: the state must be the one this
 * browser was given for this person (single use: the cookie goes), the server the one
 * asked for, and the code must be confirmed by Discord, whose answer names the server.
 */
export async function finishAddingBot(
  request: Request,
  config: Config,
  dashboard: DashboardSettings,
  userId: string,
): Promise<{ outcome: BotAddOutcome; headers: Headers }> {
  const headers = new Headers();
  if (carriesCookie(request, "bot-add")) headers.append("Set-Cookie", await clearCookie("bot-add"));
  const params = new URL(request.url).searchParams;
  const pending = pendingSchema.safeParse(await readCookie(request, "bot-add"));
  if (!pending.success || pending.data.userId !== userId || params.get("state") !== pending.data.state) {
    return { outcome: { kind: "expired" }, headers };
  }
  const { guildId } = pending.data;
  if (params.has("error")) return { outcome: { kind: "cancelled", guildId }, headers };
  const code = params.get("code");
  if (!code || code.length > 512 || params.get("guild_id") !== guildId) {
    return { outcome: { kind: "other_server" }, headers };
  }
  try {
    const confirmed = await exchangeBotCode(config.discord, { code, redirectUri: `${config.appUrl}${BOT_ADDED_PATH}` });
    if (confirmed.guildId !== guildId) return { outcome: { kind: "other_server" }, headers };
    const already = markBotPresent(guildId);
    const granted = /^\d{1,20}$/.test(params.get("permissions") ?? "") ? BigInt(params.get("permissions")!) : 0n;
    const missing = missingPermissions(dashboard.botPermissions, granted);
    return { outcome: { kind: "added", guildId, guildName: confirmed.guildName, missing, already }, headers };
  } catch (error) {
    if (error instanceof DiscordError && error.failure.kind === "invalid_grant") {
      return { outcome: { kind: "not_confirmed" }, headers };
    }
    throw error;
  }
}
