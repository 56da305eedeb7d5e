/** Discord permission bits worth showing people, most powerful first. */
const NOTABLE = [
  [1n << 3n, "Administrator"],
  [1n << 5n, "Manage Server"],
  [1n << 28n, "Manage Roles"],
  [1n << 4n, "Manage Channels"],
  [1n << 29n, "Manage Webhooks"],
  [1n << 13n, "Manage Messages"],
  [1n << 2n, "Ban Members"],
  [1n << 1n, "Kick Members"],
] as const;

const ADMINISTRATOR = 1n << 3n;
const MANAGE_GUILD = 1n << 5n;

/**
 * Whether a server in the person's list (owner flag and permissions as Discord sends them)
 * is one they manage: they own it, or hold Administrator or Manage Server there. A
 * bitfield that is not a number manages nothing.
 */
export function managesServer(guild: { owner: boolean; permissions: string }): boolean {
  if (guild.owner) return true;
  try {
    return (BigInt(guild.permissions) & (ADMINISTRATOR | MANAGE_GUILD)) !== 0n;
  } catch {
    return false;
  }
}

/**
 * The notable permissions in a bitfield (a decimal string, as Discord sends it), by name.
 * Administrator implies every other permission, so it is shown alone.
 */
export function notablePermissions(bitfield: string): string[] {
  let bits: bigint;
  try {
    bits = BigInt(bitfield);
  } catch {
    return [];
  }
  if ((bits & ADMINISTRATOR) !== 0n) return ["Administrator"];
  return NOTABLE.filter(([bit]) => (bits & bit) !== 0n).map(([, name]) => name);
}
