/**
 * The scopes a "Log in with Discord" app can ask for, with the wording the
 * consent page shows; `bot` adds the application's bot to a server the person
 * manages. RPC, webhook and other privileged scopes are not emulated and are
 * refused as invalid_scope.
 */
export const SCOPE_DESCRIPTIONS = {
  identify: "Access your username, avatar, and banner",
  email: "Access your email address",
  guilds: "Know what servers you're in",
  "guilds.join": "Join servers for you",
  "guilds.members.read": "Read your member info (nickname, avatar, roles) in servers you belong to",
  connections: "Access your third-party connections",
  "role_connections.write": "Update your connection details for Linked Roles",
  bot: "Add a bot to a server",
  "applications.commands": "Create commands in a server",
} as const;

export type Scope = keyof typeof SCOPE_DESCRIPTIONS;

function isScope(value: string): value is Scope {
  return Object.hasOwn(SCOPE_DESCRIPTIONS, value);
}

/** Parses a space-separated scope list; undefined when it is empty or names an unknown scope. */
export function parseScopes(value: string | null | undefined): Scope[] | undefined {
  const names = (value ?? "").split(" ").filter((name) => name !== "");
  if (names.length === 0 || !names.every(isScope)) return undefined;
  return [...new Set(names)];
}
