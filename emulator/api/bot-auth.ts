import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { AppContext } from "../app-context";
import { statusError } from "../discord/errors";
import type { IncomingRequest } from "../http/router";
import { sendJson } from "../http/respond";
import type { ApplicationBot } from "../state/bot";

/** The bot, when the request carries `Authorization: Bot <its token>`. */
export function botOf(context: AppContext, req: IncomingMessage): ApplicationBot | undefined {
  const match = /^Bot\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
  if (!match) return undefined;
  const [given, expected] = [Buffer.from(match[1]!), Buffer.from(context.bot.token)];
  return given.length === expected.length && timingSafeEqual(given, expected) ? context.bot : undefined;
}

/**
 * Resolves the bot token, answering 401 {"message": "401: Unauthorized", "code": 0}
 * otherwise, as Discord does to a bot route called with a person's Bearer token (OAuth2
 * tokens cannot read a server: discord/discord-api-docs#1897) or with no token at all.
 */
export function authorizeBot(context: AppContext, { req, res }: IncomingRequest): ApplicationBot | undefined {
  const bot = botOf(context, req);
  if (!bot) sendJson(res, 401, statusError(401));
  return bot;
}
