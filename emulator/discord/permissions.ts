/**
 * The few permission bits the seed data and docs talk about, plus the usual
 * grant of an ordinary member, as Discord's decimal-string bitfields.
 * https://discord.com/developers/docs/topics/permissions#permissions-bitwise-permission-flags
 */
const bit = (position: number): bigint => 1n << BigInt(position);

export const CREATE_INSTANT_INVITE = bit(0);
export const ADMINISTRATOR = bit(3);
export const MANAGE_GUILD = bit(5);
export const VIEW_CHANNEL = bit(10);
export const SEND_MESSAGES = bit(11);

export const MUTE_MEMBERS = bit(22);
export const DEAFEN_MEMBERS = bit(23);
export const MANAGE_NICKNAMES = bit(27);
export const MANAGE_ROLES = bit(28);

/** Whether the permissions include every one of `needed` (Administrator includes them all). */
export function holds(permissions: bigint, needed: bigint): boolean {
  return (permissions & ADMINISTRATOR) !== 0n || (permissions & needed) === needed;
}

/** What the seeded bot holds where it is: enough to see channels and post in them. */
export const BOT_SEED_PERMISSIONS = VIEW_CHANNEL | SEND_MESSAGES;

/** Whether the permissions let their holder post in a channel (no per-channel overwrites here). */
export function canPost(permissions: bigint): boolean {
  return (permissions & ADMINISTRATOR) !== 0n || (permissions & BOT_SEED_PERMISSIONS) === BOT_SEED_PERMISSIONS;
}

/** What @everyone usually holds in a fresh server: read, write, react, talk, use apps. */
export const ORDINARY_MEMBER =
  bit(0) | // CREATE_INSTANT_INVITE
  bit(6) | // ADD_REACTIONS
  bit(10) | // VIEW_CHANNEL
  bit(11) | // SEND_MESSAGES
  bit(14) | // EMBED_LINKS
  bit(15) | // ATTACH_FILES
  bit(16) | // READ_MESSAGE_HISTORY
  bit(18) | // USE_EXTERNAL_EMOJIS
  bit(20) | // CONNECT
  bit(21) | // SPEAK
  bit(26) | // CHANGE_NICKNAME
  bit(31); // USE_APPLICATION_COMMANDS

/**
 * Owners implicitly hold every permission, so Discord reports every defined
 * bit for them; 53 bits covers all flags Discord has published so far.
 */
export const ALL_PERMISSIONS = bit(53) - 1n;

/** A decimal bitfield as Discord serialises it; the API caps permissions at 64 bits. */
export function isPermissionBitfield(value: string): boolean {
  return /^(0|[1-9][0-9]{0,19})$/.test(value) && BigInt(value) < bit(64);
}

/**
 * The names Discord's authorization screen gives permission bits, lowest bit first.
 * https://discord.com/developers/docs/topics/permissions#permissions-bitwise-permission-flags
 */
const PERMISSION_NAMES: readonly string[] = [
  "Create Invite",
  "Kick Members",
  "Ban Members",
  "Administrator",
  "Manage Channels",
  "Manage Server",
  "Add Reactions",
  "View Audit Log",
  "Priority Speaker",
  "Video",
  "View Channels",
  "Send Messages",
  "Send Text-to-Speech Messages",
  "Manage Messages",
  "Embed Links",
  "Attach Files",
  "Read Message History",
  "Mention @everyone, @here, and All Roles",
  "Use External Emoji",
  "View Server Insights",
  "Connect",
  "Speak",
  "Mute Members",
  "Deafen Members",
  "Move Members",
  "Use Voice Activity",
  "Change Nickname",
  "Manage Nicknames",
  "Manage Roles",
  "Manage Webhooks",
  "Manage Expressions",
  "Use Application Commands",
  "Request to Speak",
  "Manage Events",
  "Manage Threads",
  "Create Public Threads",
  "Create Private Threads",
  "Use External Stickers",
  "Send Messages in Threads",
  "Use Activities",
  "Timeout Members",
];

/** The bits set in a bitfield, lowest first, each with the name Discord shows for it. */
export function permissionList(permissions: bigint): { bit: bigint; name: string }[] {
  const list: { bit: bigint; name: string }[] = [];
  for (let position = 0; position < 64; position += 1) {
    const flag = bit(position);
    if ((permissions & flag) !== 0n)
      list.push({ bit: flag, name: PERMISSION_NAMES[position] ?? `Permission ${position}` });
  }
  return list;
}

/** Whether the holder may add a bot to the server: its owner, an administrator, or Manage Server. */
export function canManage(permissions: bigint, owner: boolean): boolean {
  return owner || (permissions & (ADMINISTRATOR | MANAGE_GUILD)) !== 0n;
}
