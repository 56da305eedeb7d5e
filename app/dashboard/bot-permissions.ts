/**
 * The permissions a dashboard's bot is likely to ask for, by Discord's names, with what
 * the example setting loses without them. Others are named by their bit.
 * https://discord.com/developers/docs/topics/permissions#permissions-bitwise-permission-flags
 */
const KNOWN: ReadonlyMap<bigint, { name: string; use: string | null }> = new Map([
  [1n << 0n, { name: "Create Invite", use: null }],
  [1n << 3n, { name: "Administrator", use: null }],
  [1n << 4n, { name: "Manage Channels", use: null }],
  [1n << 5n, { name: "Manage Server", use: null }],
  [1n << 6n, { name: "Add Reactions", use: null }],
  [
    1n << 10n,
    { name: "View Channels", use: "the bot cannot see channels, so none can be chosen for the welcome message" },
  ],
  [1n << 11n, { name: "Send Messages", use: "the welcome and test messages cannot be posted" }],
  [1n << 13n, { name: "Manage Messages", use: null }],
  [1n << 14n, { name: "Embed Links", use: null }],
  [1n << 15n, { name: "Attach Files", use: null }],
  [1n << 16n, { name: "Read Message History", use: null }],
  [1n << 28n, { name: "Manage Roles", use: null }],
  [1n << 31n, { name: "Use Application Commands", use: null }],
]);

export interface MissingPermission {
  name: string;
  /** What stops working without it, when the example setting needs it. */
  consequence: string | null;
}

/** The permissions asked for and not granted, lowest bit first. */
export function missingPermissions(asked: bigint, granted: bigint): MissingPermission[] {
  const missing: MissingPermission[] = [];
  for (let bit = 0n; bit < 64n; bit += 1n) {
    const flag = 1n << bit;
    if ((asked & flag) === 0n || (granted & flag) !== 0n) continue;
    const known = KNOWN.get(flag);
    missing.push({ name: known?.name ?? `Permission ${bit}`, consequence: known?.use ?? null });
  }
  return missing;
}
