import { SEED_ACCOUNTS } from "../state/seed-accounts";
import { seedGuilds } from "../state/seed-guilds";

/**
 * Ids of the seeded accounts, servers and roles, by name: stable across restarts, so tests
 * of any runner (vitest, Playwright) and developers' settings can name them.
 */

export { EMULATOR_HQ_INVITE_CODE } from "../state/seed-guilds";

export function seededId(username: string): string {
  const account = SEED_ACCOUNTS.find((candidate) => candidate.username === username);
  if (!account) throw new Error(`no seeded account ${username}`);
  return account.id;
}

const SEEDED_GUILDS = seedGuilds();

function seededGuild(guildName: string) {
  const seeded = SEEDED_GUILDS.find(({ guild }) => guild.name === guildName);
  if (!seeded) throw new Error(`no seeded server ${guildName}`);
  return seeded;
}

export function seededGuildId(guildName: string): string {
  return seededGuild(guildName).guild.id;
}

export function seededRoleId(guildName: string, roleName: string): string {
  const role = seededGuild(guildName).roles.find((candidate) => candidate.name === roleName);
  if (!role) throw new Error(`seeded server ${guildName} has no role ${roleName}`);
  return role.id;
}
