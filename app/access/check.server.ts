import type { AccessRules } from "~/config.server";
import { sha256 } from "~/crypto/sha256.server";
import type { DiscordSettings } from "~/discord/discord-access.server";
import { fetchAllGuilds } from "~/discord/guilds.server";
import { fetchOwnMembership } from "~/discord/members.server";
import { rememberServer } from "./required-servers.server";
import { decide, type Verdict } from "./verdict";

/** The scope Discord needs to answer the rules: roles come only from the member endpoint. */
export function scopeNeeded(rules: AccessRules): "guilds" | "guilds.members.read" {
  return rules.roles.length > 0 ? "guilds.members.read" : "guilds";
}

/**
 * Asks Discord whether the person passes the rules, with as few calls as it takes:
 * - roles required: `GET /users/@me/guilds/{id}/member` for each required server in turn,
 *   stopping at the first that passes (one call when one server is required);
 * - membership alone: the person's server list (one call per 200 servers they are in).
 * Failures are DiscordErrors, for the caller to weigh.
 */
export async function askDiscord(discord: DiscordSettings, accessToken: string, rules: AccessRules): Promise<Verdict> {
  const memberships = new Map<string, string[] | null>();
  if (rules.roles.length === 0) {
    const required = new Set(rules.guilds.map((guild) => guild.id));
    for (const guild of await fetchAllGuilds(discord, accessToken)) {
      if (!required.has(guild.id)) continue;
      memberships.set(guild.id, []);
      rememberServer(guild);
    }
    return decide(rules, memberships);
  }
  for (const { id } of rules.guilds) {
    const member = await fetchOwnMembership(discord, accessToken, id);
    memberships.set(id, member?.roles ?? null);
    const verdict = decide(rules, memberships);
    if (verdict.allowed) return verdict;
  }
  return decide(rules, memberships);
}

/** Names the rules a check was made under: a change of rules makes every check due. */
export function rulesFingerprint(rules: AccessRules): string {
  const ids = (targets: { id: string }[]) =>
    targets
      .map((target) => target.id)
      .sort()
      .join(",");
  return sha256(`guilds:${ids(rules.guilds)};roles:${ids(rules.roles)}`);
}
