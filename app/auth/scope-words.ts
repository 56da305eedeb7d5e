/** What each scope lets the app see or do, as the login page tells the person beforehand. */
const SCOPE_WORDS: Record<string, string> = {
  identify: "your username and avatar",
  email: "your email address",
  guilds: "the list of your servers",
  "guilds.members.read": "your roles in servers you belong to",
  "guilds.join": "adding you to servers",
  connections: "your connected accounts",
  "role_connections.write": "your connection for Linked Roles",
};

/** "your username and avatar, your email address and the list of your servers". */
export function describeScopes(scopes: readonly string[]): string {
  const words = scopes.map((scope) => SCOPE_WORDS[scope] ?? `"${scope}"`);
  return words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}
