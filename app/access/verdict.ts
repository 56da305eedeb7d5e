import type { AccessRules } from "~/config.server";

/** Why someone does not pass the access rules. */
export type RefusalReason =
  /** Not a member of any required server. */
  | "not_member"
  /** A member, but holding none of the required roles there. */
  | "missing_role";

export type Verdict = { allowed: true; guildId: string; roleIds: string[] } | { allowed: false; reason: RefusalReason };

/** What Discord said of the person: their roles in each required server, null where they are not a member. */
export type Memberships = ReadonlyMap<string, readonly string[] | null>;

/**
 * Applies the rules to what Discord said: the first required server (in the order the
 * rules list them) where the person is a member, holding a required role when roles are
 * required. A server Discord was not asked about counts as one they are not in.
 */
export function decide(rules: Pick<AccessRules, "guilds" | "roles">, memberships: Memberships): Verdict {
  const required = new Set(rules.roles.map((role) => role.id));
  let member = false;
  for (const { id: guildId } of rules.guilds) {
    const roles = memberships.get(guildId);
    if (!roles) continue;
    member = true;
    if (required.size === 0) return { allowed: true, guildId, roleIds: [] };
    const held = roles.filter((role) => required.has(role));
    if (held.length > 0) return { allowed: true, guildId, roleIds: held };
  }
  return { allowed: false, reason: member ? "missing_role" : "not_member" };
}
