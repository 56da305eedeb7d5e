import { z } from "zod";
import { getAsUser } from "./api.server";
import { readJson } from "./discord-http.server";
import type { DiscordSettings } from "./discord-access.server";

const PAGE_SIZE = 200;
/** Far above Discord's membership limit; a bound so a misbehaving API cannot loop forever. */
export const MAX_PAGES = 10;

const guildSchema = z.object({
  id: z.string().regex(/^\d{1,20}$/),
  name: z.string().max(200),
  icon: z.string().max(64).nullable(),
  owner: z.boolean(),
  permissions: z.string().regex(/^\d{1,30}$/),
  features: z.array(z.string().max(100)).max(500),
  approximate_member_count: z.number().int().nonnegative().optional(),
  approximate_presence_count: z.number().int().nonnegative().optional(),
});

export type DiscordGuild = z.infer<typeof guildSchema>;

/** Every server the user is in, following Discord's pagination (200 per page, by id). */
export async function fetchAllGuilds(discord: DiscordSettings, accessToken: string): Promise<DiscordGuild[]> {
  const guilds: DiscordGuild[] = [];
  let after: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE), with_counts: "true" });
    if (after) query.set("after", after);
    const response = await getAsUser(discord, "server list", `/api/v10/users/@me/guilds?${query}`, accessToken);
    const batch = await readJson("server list", response, z.array(guildSchema).max(PAGE_SIZE));
    guilds.push(...batch);
    if (batch.length < PAGE_SIZE) break;
    after = batch[batch.length - 1]!.id;
  }
  return guilds;
}
