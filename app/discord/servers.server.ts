import { discordAccess, type DiscordAccess } from "./discord-access.server";
import { requireGrantedScopes } from "./grant.server";
import { getGuilds, type GuildsResult } from "./guild-cache.server";
import { fetchAllGuilds } from "./guilds.server";
import { callAsUser } from "./user-call.server";

/**
 * The person's servers for the servers page, through the cache: null when they did not
 * grant the `guilds` scope. Throws GrantLostError when their grant is gone.
 */
export async function loadServers(
  userId: string,
  access: DiscordAccess = discordAccess(),
): Promise<GuildsResult | null> {
  const scopes = await requireGrantedScopes(access.db, userId);
  if (!scopes.includes("guilds")) return null;
  return getGuilds(userId, () =>
    callAsUser(userId, (accessToken) => fetchAllGuilds(access.discord, accessToken), access),
  );
}
