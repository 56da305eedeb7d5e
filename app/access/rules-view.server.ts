import { getConfig, type AccessRules, type AccessTarget } from "~/config.server";
import type { AccessStanding } from "~/models/access-check.server";
import { orList } from "~/utils/word-lists";
import { timeAgo } from "~/utils/time-ago";
import { accessDeadline } from "./deadline";
import { describeRequiredServers, knownServerName, type RequiredServer } from "./required-servers.server";

/** The access rules as pages explain them. */
export interface AccessRulesView {
  servers: RequiredServer[];
  /** Names (or ids) of the required roles; empty when membership is enough. */
  roles: string[];
  inviteUrl: string | null;
  graceMinutes: number;
}

/** Null when anyone may sign in. Looks the invite up (once per instance) for names and icons. */
export async function accessRulesView(): Promise<AccessRulesView | null> {
  const { access, discord } = getConfig();
  if (!access) return null;
  return {
    servers: await describeRequiredServers(access, discord, discord.cdnUrl),
    roles: access.roles.map(targetName("role")),
    inviteUrl: access.inviteUrl,
    graceMinutes: access.graceMs / 60_000,
  };
}

/** One line, from what is already known (no call to Discord): "members of Emulator HQ holding Moderator or Member". */
export function accessRulesSummary(rules: AccessRules): string {
  const servers = rules.guilds.map((guild) => guild.label ?? knownServerName(guild.id) ?? `server ${guild.id}`);
  const members = `members of ${orList(servers)}`;
  return rules.roles.length === 0 ? members : `${members} holding ${orList(rules.roles.map(targetName("role")))}`;
}

/** Which rule a signed-in person passes, for the dashboard. */
export interface PassedRuleView {
  server: RequiredServer | null;
  roles: string[];
  /** "5 minutes ago"; null if Discord never confirmed it (the person predates the rules). */
  confirmedAgo: string | null;
  /** While Discord cannot confirm: since when, and how much longer access is kept without it. */
  unconfirmed: { sinceAgo: string; minutesLeft: number } | null;
}

export async function passedRuleView(standing: AccessStanding, now = new Date()): Promise<PassedRuleView | null> {
  const view = await accessRulesView();
  const rules = getConfig().access;
  if (!view || !rules) return null;
  const byId = new Map(rules.roles.map((role) => [role.id, targetName("role")(role)]));
  return {
    server: view.servers.find((server) => server.id === standing.guildId) ?? null,
    roles: standing.roleIds.map((id) => byId.get(id) ?? `role ${id}`),
    confirmedAgo: standing.confirmedAt ? timeAgo(standing.confirmedAt, now).ago : null,
    unconfirmed: standing.unconfirmedSince
      ? {
          sinceAgo: timeAgo(standing.unconfirmedSince, now).ago,
          minutesLeft: Math.max(0, Math.ceil((accessDeadline(standing.confirmedAt, rules) - now.getTime()) / 60_000)),
        }
      : null,
  };
}

function targetName(kind: string) {
  return (target: AccessTarget) => target.label ?? `${kind} ${target.id}`;
}
