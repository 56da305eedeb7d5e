/**
 * Names for the Discord-facing routes, used by the control API to aim
 * faults and rate limits and by the counters to group calls.
 */
export const ROUTE_KEYS = [
  "authorize",
  "token",
  "revoke",
  "users_me",
  "guilds",
  "guild_member",
  "add_guild_member",
  "role_connection_metadata",
  "role_connection",
  "linked_roles_page",
  "oauth2_me",
  "guild",
  "guild_channels",
  "channel_messages",
  "invites",
  "invite_page",
  "channels_page",
  "cdn",
] as const;

export type RouteKey = (typeof ROUTE_KEYS)[number];
