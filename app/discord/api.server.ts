import { z } from "zod";
import type { DiscordIdentity } from "~/models/discord-identity";
import { DiscordError } from "./discord-error.server";
import { callDiscord, readJson } from "./discord-http.server";
import type { DiscordSettings } from "./discord-access.server";

const snowflake = z.string().regex(/^\d{1,20}$/, "not a Discord id");

/** The fields of Discord's user object this app relies on; the rest is ignored. */
const discordUser = z.object({
  id: snowflake,
  username: z.string().min(1).max(64),
  // "0" for new usernames, four digits for legacy ones (the database checks the same).
  discriminator: z
    .string()
    .regex(/^(0|\d{4})$/)
    .optional(),
  global_name: z.string().max(64).nullish(),
  avatar: z.string().max(64).nullish(),
  email: z.string().max(320).nullish(),
  verified: z.boolean().optional(),
});

export type DiscordUser = z.infer<typeof discordUser>;

/** `GET /users/@me`, validated. A profile without an id is refused, not stored. */
export async function fetchCurrentUser(discord: DiscordSettings, accessToken: string): Promise<DiscordUser> {
  const response = await getAsUser(discord, "profile fetch", "/api/v10/users/@me", accessToken);
  return readJson("profile fetch", response, discordUser);
}

/** A GET to the Discord API with the user's access token; any answer but 2xx is a DiscordError. */
export async function getAsUser(discord: DiscordSettings, operation: string, path: string, accessToken: string) {
  const response = await callDiscord({
    operation,
    url: `${discord.baseUrl}${path}`,
    timeoutMs: discord.timeoutMs,
    init: { headers: { Authorization: `Bearer ${accessToken}`, Accept: "application/json" } },
  });
  if (!response.ok) {
    await response.body?.cancel();
    throw new DiscordError(operation, { kind: "rejected", status: response.status, code: "api" });
  }
  return response;
}

/** What the app keeps of a Discord user object. */
export function toIdentity(user: DiscordUser): DiscordIdentity {
  const email = user.email ?? null;
  return {
    discordId: user.id,
    username: user.username,
    discriminator: user.discriminator && user.discriminator !== "0" ? user.discriminator : null,
    globalName: user.global_name ?? null,
    avatarHash: user.avatar ?? null,
    email,
    // Discord reports an address it has not verified; say so rather than vouch for it.
    emailVerified: email !== null && user.verified === true,
  };
}
