import { compareSnowflakes } from "../discord/snowflake";
import type { Membership } from "../state/guilds";
import type { GuildsQuery } from "./guilds-query";

/** One entry of /users/@me/guilds (MyGuildResponse in the OpenAPI description). */
function myGuildJson({ guild, owner, permissions }: Membership, withCounts: boolean) {
  return {
    id: guild.id,
    name: guild.name,
    icon: guild.icon,
    banner: null,
    owner,
    permissions: permissions.toString(),
    features: guild.features,
    ...(withCounts
      ? {
          approximate_member_count: guild.approximateMemberCount,
          approximate_presence_count: guild.approximatePresenceCount,
        }
      : {}),
  };
}

/**
 * One page of the member's servers in ascending id order. With only
 * `before`, the page is the `limit` servers just below it, so paging
 * backwards works like paging forwards with `after`.
 */
export function guildPage(memberships: readonly Membership[], query: GuildsQuery) {
  const inRange = memberships.filter(
    ({ guild }) =>
      (query.after === null || compareSnowflakes(guild.id, query.after) > 0) &&
      (query.before === null || compareSnowflakes(guild.id, query.before) < 0),
  );
  const page =
    query.before !== null && query.after === null ? inRange.slice(-query.limit) : inRange.slice(0, query.limit);
  return page.map((membership) => myGuildJson(membership, query.withCounts));
}
