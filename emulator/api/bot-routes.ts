import type { AppContext } from "../app-context";
import { apiRoutesOn } from "./api-paths";
import {
  MISSING_ACCESS,
  MISSING_PERMISSIONS,
  UNKNOWN_CHANNEL,
  UNKNOWN_GUILD,
  invalidFormBody,
  notSnowflake,
} from "../discord/errors";
import { canPost } from "../discord/permissions";
import { isSnowflake } from "../discord/snowflake";
import { readBody } from "../http/body";
import type { IncomingRequest, Router } from "../http/router";
import { sendJson } from "../http/respond";
import { takesMessages } from "../state/guilds";
import { authorizeBot } from "./bot-auth";
import { channelJson, guildJson, messageJson } from "./bot-json";

/** Discord's limit on a message's content, in characters. */
const MAX_MESSAGE_LENGTH = 2000;
const EMPTY_MESSAGE = { message: "Cannot send an empty message", code: 50006 } as const;
const INVALID_JSON = { message: "The request body contains invalid JSON.", code: 50109 } as const;

/** What a bot dashboard reads and does with the bot's token: a server, its channels, a message. */
export function registerBotRoutes(router: Router, context: AppContext): void {
  const on = apiRoutesOn(router, context);

  /** The server the bot is in; since 2023 one it is not in answers as if it did not exist (discord-api-docs#5840). */
  const botsGuild = (request: IncomingRequest) => {
    if (!authorizeBot(context, request)) return undefined;
    const guildId = request.params.guildId!;
    if (!isSnowflake(guildId)) {
      sendJson(request.res, 400, invalidFormBody({ guild_id: notSnowflake(guildId) }));
      return undefined;
    }
    const guild = context.state.guilds.get(guildId);
    if (!guild || !context.state.guilds.botIn(guildId)) {
      sendJson(request.res, 404, UNKNOWN_GUILD);
      return undefined;
    }
    return guild;
  };

  on("GET", "/guilds/:guildId", "guild", (request) => {
    const guild = botsGuild(request);
    if (!guild) return;
    const withCounts = request.url.searchParams.get("with_counts") === "true";
    sendJson(request.res, 200, guildJson(guild, context.state.guilds.rolesOf(guild.id), withCounts));
  });

  on("GET", "/guilds/:guildId/channels", "guild_channels", (request) => {
    const guild = botsGuild(request);
    if (!guild) return;
    sendJson(request.res, 200, context.state.guilds.channelsOf(guild.id).map(channelJson));
  });

  on("POST", "/channels/:channelId/messages", "channel_messages", async (request) => {
    const bot = authorizeBot(context, request);
    if (!bot) return;
    const { res, params } = request;
    const body = await readBody(request.req);
    // Read first, then everything synchronous: a reset cannot land in between.
    const { state } = context;
    const channelId = params.channelId!;
    if (!isSnowflake(channelId)) return sendJson(res, 400, invalidFormBody({ channel_id: notSnowflake(channelId) }));
    const channel = state.guilds.channel(channelId);
    if (!channel) return sendJson(res, 404, UNKNOWN_CHANNEL);
    const presence = state.guilds.botIn(channel.guildId);
    if (!presence) return sendJson(res, 403, MISSING_ACCESS);
    if (!canPost(presence.permissions) || !takesMessages(channel)) return sendJson(res, 403, MISSING_PERMISSIONS);

    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      return sendJson(res, 400, INVALID_JSON);
    }
    const content = typeof parsed === "object" && parsed !== null && "content" in parsed ? parsed.content : undefined;
    if (content !== undefined && typeof content !== "string") {
      return sendJson(
        res,
        400,
        invalidFormBody({ content: { code: "BASE_TYPE_STRING", message: "Must be a string." } }),
      );
    }
    if (!content?.trim()) return sendJson(res, 400, EMPTY_MESSAGE);
    if ([...content].length > MAX_MESSAGE_LENGTH) {
      return sendJson(
        res,
        400,
        invalidFormBody({
          content: { code: "BASE_TYPE_MAX_LENGTH", message: `Must be ${MAX_MESSAGE_LENGTH} or fewer in length.` },
        }),
      );
    }
    const now = Date.now();
    const message = state.messages.post({
      id: state.ids.next(now),
      channelId,
      authorId: bot.id,
      content,
      postedAt: now,
    });
    sendJson(res, 200, messageJson(message, bot));
  });
}
