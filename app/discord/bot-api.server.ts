import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import type { BotRateLimiter } from "./bot-rate-limit.server";
import { DiscordError } from "./discord-error.server";
import { callDiscord, readJson } from "./discord-http.server";

/** Where the bot talks to Discord, and with what token. */
export interface BotSettings {
  readonly baseUrl: string;
  readonly token: string;
  readonly timeoutMs: number;
}

const snowflake = z.string().regex(/^\d{1,20}$/, "not a Discord id");
const count = z.number().int().min(0);

// The fields of Discord's objects a dashboard relies on; the rest is ignored.
const botUser = z.object({ id: snowflake, username: z.string().min(1).max(64) });
const botGuildPage = z.array(z.object({ id: snowflake, name: z.string().max(100) })).max(200);
const guildWithCounts = z.object({
  id: snowflake,
  name: z.string().min(1).max(100),
  icon: z.string().max(64).nullish(),
  approximate_member_count: count,
  approximate_presence_count: count,
});
const channelList = z
  .array(
    z.object({
      id: snowflake,
      type: z.number().int(),
      name: z.string().max(100),
      position: z.number().int(),
      parent_id: snowflake.nullish(),
    }),
  )
  .max(1_000); // Discord's cap on channels in a server is 500
const postedMessage = z.object({ id: snowflake, channel_id: snowflake });
const metadataRecords = z
  .array(z.object({ type: z.number().int(), key: z.string(), name: z.string(), description: z.string() }))
  .max(5);
const addedMember = z.object({ pending: z.boolean().optional(), roles: z.array(snowflake).max(250) });

/** What Add Guild Member did: 201 (with the member, pending while screening) or 204. */
export type JoinOutcome = { joined: "added"; pending: boolean } | { joined: "already_member" };

export type BotUser = z.infer<typeof botUser>;
export type GuildWithCounts = z.infer<typeof guildWithCounts>;
export type GuildChannel = z.infer<typeof channelList>[number];

/** Discord's text and announcement channels: where a bot's messages go. */
export const MESSAGE_CHANNEL_TYPES: ReadonlySet<number> = new Set([0, 5]);

/** A page of /users/@me/guilds holds at most 200; this many pages bounds a runaway listing. */
const PAGE_SIZE = 200;
const MAX_PAGES = 500;

/**
 * The application's bot, calling Discord with its token. Every call takes its turn from the
 * instance's rate limiter first and tells it what Discord answered; a turn that would wait
 * too long fails as rate_limited, with the wait, like a 429.
 */
export class DiscordBot {
  constructor(
    private readonly settings: BotSettings,
    private readonly limiter: BotRateLimiter,
  ) {}

  /** Who the token belongs to: a 401 here means the token is wrong (checked at start). */
  async me(): Promise<BotUser> {
    return readJson("bot profile", await this.call("bot profile", "GET /users/@me", "", "/users/@me"), botUser);
  }

  /** Ids of every server the bot is in, page after page of 200. */
  async guildIds(): Promise<string[]> {
    const ids: string[] = [];
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const after = ids.length > 0 ? `&after=${ids[ids.length - 1]}` : "";
      const path = `/users/@me/guilds?limit=${PAGE_SIZE}${after}`;
      const guilds = await readJson(
        "bot servers",
        await this.call("bot servers", "GET /users/@me/guilds", "", path),
        botGuildPage,
      );
      ids.push(...guilds.map((guild) => guild.id));
      if (guilds.length < PAGE_SIZE) return ids;
    }
    throw new DiscordError("bot servers", { kind: "malformed", detail: `over ${MAX_PAGES} pages of servers` });
  }

  /** A server the bot is in, with its approximate counts; null when it is not (or no longer) there. */
  async guild(guildId: string): Promise<GuildWithCounts | null> {
    const response = await this.call(
      "server",
      "GET /guilds/{id}",
      guildId,
      `/guilds/${guildId}?with_counts=true`,
      [404],
    );
    return response.status === 404 ? null : readJson("server", response, guildWithCounts);
  }

  /** The server's channels; null when the bot is not (or no longer) in it. */
  async channels(guildId: string): Promise<GuildChannel[] | null> {
    const response = await this.call(
      "channels",
      "GET /guilds/{id}/channels",
      guildId,
      `/guilds/${guildId}/channels`,
      [404],
    );
    return response.status === 404 ? null : readJson("channels", response, channelList);
  }

  /** Posts a message as the bot; Discord's refusal (missing access, permissions) is a `rejected` failure. */
  async postMessage(channelId: string, content: string): Promise<{ id: string }> {
    const response = await this.call(
      "message",
      "POST /channels/{id}/messages",
      channelId,
      `/channels/${channelId}/messages`,
      [],
      {
        method: "POST",
        body: JSON.stringify({ content, allowed_mentions: { parse: [] } }),
      },
    );
    return readJson("message", response, postedMessage);
  }

  /**
   * Puts a person in a server the bot is in with Create Invite (Discord's Add Guild Member),
   * with their `guilds.join` access token, giving `roles` (which take Manage Roles).
   * Discord's refusals are `rejected` failures with its code: 50025 (the token is not that
   * person's, or lacks the scope), 50013 (the bot lacks a permission), 10004 (the bot is
   * not in the server), 30001 (they are in too many servers).
   */
  async addMember(
    guildId: string,
    userId: string,
    accessToken: string,
    roles: readonly string[] = [],
  ): Promise<JoinOutcome> {
    const response = await this.call(
      "join",
      "PUT /guilds/{id}/members/{user}",
      guildId,
      `/guilds/${guildId}/members/${userId}`,
      [],
      {
        method: "PUT",
        body: JSON.stringify({ access_token: accessToken, ...(roles.length > 0 ? { roles } : {}) }),
      },
    );
    if (response.status === 204) {
      await response.body?.cancel();
      return { joined: "already_member" };
    }
    const member = await readJson("join", response, addedMember);
    return { joined: "added", pending: member.pending ?? false };
  }

  /** The application's Linked Roles metadata records, as Discord holds them. */
  async roleConnectionMetadata(applicationId: string): Promise<z.infer<typeof metadataRecords>> {
    const path = `/applications/${applicationId}/role-connections/metadata`;
    const response = await this.call(
      "Linked Roles metadata",
      "GET /applications/{id}/role-connections/metadata",
      applicationId,
      path,
    );
    return readJson("Linked Roles metadata", response, metadataRecords);
  }

  /** Replaces the application's Linked Roles metadata records; Discord answers what it now holds. */
  async setRoleConnectionMetadata(
    applicationId: string,
    records: readonly { type: number; key: string; name: string; description: string }[],
  ): Promise<z.infer<typeof metadataRecords>> {
    const path = `/applications/${applicationId}/role-connections/metadata`;
    const response = await this.call(
      "Linked Roles metadata",
      "PUT /applications/{id}/role-connections/metadata",
      applicationId,
      path,
      [],
      { method: "PUT", body: JSON.stringify(records) },
    );
    return readJson("Linked Roles metadata", response, metadataRecords);
  }

  /**
   * One call on `route` (its bucket's name) for the major parameter `major`: waits its turn,
   * then answers the response when it is a success or one of `expected` statuses.
   */
  private async call(
    operation: string,
    route: string,
    major: string,
    path: string,
    expected: number[] = [],
    init: { method?: string; body?: string } = {},
  ): Promise<Response> {
    const turn = this.limiter.take(route, major);
    if ("refusedForSeconds" in turn) {
      throw new DiscordError(operation, { kind: "rate_limited", retryAfterSeconds: turn.refusedForSeconds });
    }
    if (turn.waitMs > 0) await sleep(turn.waitMs);
    const response = await callDiscord({
      operation,
      url: `${this.settings.baseUrl}/api/v10${path}`,
      timeoutMs: this.settings.timeoutMs,
      init: {
        method: init.method ?? "GET",
        body: init.body,
        headers: {
          Authorization: `Bot ${this.settings.token}`,
          Accept: "application/json",
          ...(init.body === undefined ? {} : { "Content-Type": "application/json" }),
        },
      },
      observe: (answer) => {
        const retryAfter = Number(answer.headers.get("Retry-After"));
        this.limiter.observe(
          route,
          major,
          answer.status,
          answer.headers,
          Number.isFinite(retryAfter) ? retryAfter : undefined,
        );
      },
    });
    if (response.ok || expected.includes(response.status)) return response;
    const code = await discordErrorCode(response);
    throw new DiscordError(operation, { kind: "rejected", status: response.status, code });
  }
}

const discordErrorBody = z.object({ code: z.number().int() });

/** Discord's JSON error code ("50013" for Missing Permissions), or "api" when there is none. */
async function discordErrorCode(response: Response): Promise<string> {
  try {
    return String((await readJson("error", response, discordErrorBody)).code);
  } catch {
    return "api";
  }
}
