import { getConfig } from "~/config.server";
import { getDb } from "~/db/db.server";
import { requireGrantedScopes } from "~/discord/grant.server";
import { appCookie, carriesCookie, clearCookie, readCookie } from "./cookies.server";
import type { LoginStart } from "./discord-strategy.server";
import { loginAgainIfGrantLost, requireUser } from "./session.server";

/**
 * Features that need more of a person's Discord account than a login asks for
 * (DISCORD_SCOPES), and the scopes each takes. A page that needs one asks for it when it
 * is opened (components/ask-for-access.tsx), through a login that keeps the session.
 */
export const FEATURE_SCOPES = {
  /** The servers page and the bot dashboard read the person's server list. */
  servers: ["guilds"],
  /** The Linked Roles page writes the person's role connection (LINKED_ROLES). */
  linked_roles: ["role_connections.write"],
} as const satisfies Record<string, readonly string[]>;

export type Feature = keyof typeof FEATURE_SCOPES;

/** A feature of this site: named in the table, and switched on where it has a setting. */
export function isFeature(value: unknown): value is Feature {
  if (typeof value !== "string" || !Object.hasOwn(FEATURE_SCOPES, value)) return false;
  return value !== "linked_roles" || getConfig().linkedRoles;
}

/**
 * What an upgrade asks Discord for: the login's scopes, those already granted, and the
 * feature's. A token carries only the scopes asked in its own authorization, so asking
 * for the new one alone would take away what the person had shared.
 */
export function upgradeScopes(granted: readonly string[], feature: Feature): string[] {
  return [...new Set([...getConfig().discord.scopes, ...granted, ...FEATURE_SCOPES[feature]])];
}

/**
 * The login that asks a signed-in person for a feature's scopes (the POST of its button).
 * Their session is kept once Discord answers for the same account (auth/login.server.ts).
 */
export async function upgradeStart(request: Request, feature: unknown, returnTo: unknown): Promise<LoginStart> {
  // Only the site's own buttons name a feature: anything else is not a request they send.
  if (!isFeature(feature)) throw new Response("This is not a request the site's pages send.", { status: 400 });
  const { user } = await requireUser(request);
  const granted = await loginAgainIfGrantLost(request, () => requireGrantedScopes(getDb(), user.id));
  return {
    start: true,
    returnTo,
    // A scope not granted yet always brings Discord's screen; one granted before (and
    // since dropped by a narrower login) comes back without it.
    prompt: "none",
    scopes: upgradeScopes(granted, feature),
    upgrade: { userId: user.id, discordId: user.discord_id },
  };
}

/**
 * What a login asks Discord for: DISCORD_SCOPES, and the scopes of the features this
 * browser's person shared before (the "shared" cookie). A token carries only the scopes
 * its own authorization asked for, so a login asking less would take back the server list
 * or Linked Roles until a page asked again; Discord skips its screen for scopes granted
 * before, so asking again costs the person nothing.
 */
export async function loginScopes(request: Request): Promise<string[]> {
  const remembered = await readCookie(request, "shared");
  const features = Array.isArray(remembered) ? remembered.filter(isFeature) : [];
  return [...new Set([...getConfig().discord.scopes, ...features.flatMap((feature) => FEATURE_SCOPES[feature])])];
}

/**
 * After a login: the Set-Cookie that remembers which features the person has shared, by
 * the scopes Discord granted (features the login's own scopes cover need no memory); one
 * that clears it when there are none; or null when there is nothing to change.
 */
export async function rememberShared(request: Request, granted: readonly string[]): Promise<string | null> {
  const { scopes } = getConfig().discord;
  const shared = Object.keys(FEATURE_SCOPES)
    .filter(isFeature)
    .filter((feature) => FEATURE_SCOPES[feature].some((scope) => !scopes.includes(scope)))
    .filter((feature) => FEATURE_SCOPES[feature].every((scope) => granted.includes(scope)));
  if (shared.length > 0) return appCookie("shared").serialize(shared);
  return carriesCookie(request, "shared") ? clearCookie("shared") : null;
}
