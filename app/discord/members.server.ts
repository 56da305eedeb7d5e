import { z } from "zod";
import { DiscordError } from "./discord-error.server";
import { callDiscord, readJson } from "./discord-http.server";
import type { DiscordSettings } from "./discord-access.server";

const snowflake = z.string().regex(/^\d{1,20}$/);

/** The part of Discord's guild member object the access rules read. */
const memberSchema = z.object({ roles: z.array(snowflake).max(500), pending: z.boolean().optional() });

const errorSchema = z.object({ code: z.number().int() }).loose();

/** Discord's JSON error codes for "you are not in that server" (Unknown Guild, Unknown Member). */
const NOT_A_MEMBER_CODES = new Set([10004, 10007]);
/** "Missing Access": the token lacks guilds.members.read. Any other 403 (a block on the way) is not that. */
const MISSING_ACCESS = 50001;

/**
 * `GET /users/@me/guilds/{guild.id}/member` (scope `guilds.members.read`): the person's roles
 * in one server, or null when they are not a member, which Discord answers with 404
 * "Unknown Guild" (code 10004) rather than telling apart a server that does not exist.
 * A member still pending the server's membership screening has not joined yet: null too.
 * A token without the scope gets 403 "Missing Access", thrown as `rejected` with code
 * `missing_access`.
 */
export async function fetchOwnMembership(
  discord: DiscordSettings,
  accessToken: string,
  guildId: string,
): Promise<{ roles: string[] } | null> {
  const operation = "membership check";
  const response = await callDiscord({
    operation,
    url: `${discord.baseUrl}/api/v10/users/@me/guilds/${guildId}/member`,
    timeoutMs: discord.timeoutMs,
    init: { headers: { Authorization: `Bearer ${accessToken}`, Accept: "application/json" } },
  });
  if (response.ok) {
    const member = await readJson(operation, response, memberSchema);
    return member.pending ? null : { roles: member.roles };
  }
  const body = await readJson(operation, response, errorSchema).catch(() => null);
  if (response.status === 404 && body && NOT_A_MEMBER_CODES.has(body.code)) return null;
  const code =
    response.status === 403 && body?.code === MISSING_ACCESS ? "missing_access" : `api_${body?.code ?? "unknown"}`;
  throw new DiscordError(operation, { kind: "rejected", status: response.status, code });
}

const inviteSchema = z.object({
  guild: z.object({ id: snowflake, name: z.string().min(1).max(200), icon: z.string().max(64).nullable() }),
});

export type InvitedServer = z.infer<typeof inviteSchema>["guild"];

/**
 * `GET /invites/{code}`, which needs no token: the server an invite leads to, or null when
 * Discord does not know the invite (or it leads to no server).
 */
export async function resolveInvite(discord: DiscordSettings, code: string): Promise<InvitedServer | null> {
  const operation = "invite lookup";
  const response = await callDiscord({
    operation,
    url: `${discord.baseUrl}/api/v10/invites/${encodeURIComponent(code)}`,
    timeoutMs: discord.timeoutMs,
    init: { headers: { Accept: "application/json" } },
  });
  if (response.status === 404) {
    await response.body?.cancel();
    return null;
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new DiscordError(operation, { kind: "rejected", status: response.status, code: "api" });
  }
  return (await readJson(operation, response, inviteSchema)).guild;
}
