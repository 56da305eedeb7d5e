import { ALL_PERMISSIONS } from "../discord/permissions";
import { randomAlphanumeric } from "../discord/random-token";
import type { EmulatorState } from "./emulator-state";
import { type Guild, MEMBERSHIP_SCREENING, type Member, generalChannel, newcomer } from "./guilds";
import { imageHash } from "./image-hash";

export interface NewGuildMember {
  readonly accountId: string;
  readonly permissions: bigint;
  /** Names from NewGuild.roles. */
  readonly roleNames: readonly string[];
  readonly nick: string | null;
}

/** A server to create; the caller has checked that accounts exist and role names resolve. */
export interface NewGuild {
  readonly name: string;
  /** An emulated account, or someone outside the emulator. */
  readonly ownerId: string;
  readonly icon: boolean;
  /** Lowest first. */
  readonly roles: readonly { readonly name: string; readonly color: number }[];
  readonly members: readonly NewGuildMember[];
  readonly approximateMemberCount: number;
  readonly approximatePresenceCount: number;
  /** Membership screening on: who joins later is `pending` until they pass it. */
  readonly membershipScreening?: boolean;
}

// Discord's generated invite codes are short random alphanumerics (vanity codes are chosen).
const INVITE_CODE_LENGTH = 10;

/**
 * Adds a server with fresh snowflakes, in the order Discord creates things: the
 * server, its first channel (#general, where its invite leads), its roles. The bot is not
 * in it until someone adds it. Everyone joins now; an emulated owner
 * is a member holding every permission, whatever was asked for them.
 */
export function createGuild(state: EmulatorState, input: NewGuild): Guild {
  const now = Date.now();
  const id = state.ids.next(now);
  const invite = { code: randomAlphanumeric(INVITE_CODE_LENGTH), channelId: state.ids.next(now) };
  const roles = input.roles.map((role) => ({ ...role, id: state.ids.next(now) }));
  const roleIdOf = new Map(roles.map((role) => [role.name, role.id]));

  const members = new Map<string, Member>();
  for (const member of input.members) {
    members.set(member.accountId, {
      accountId: member.accountId,
      permissions: member.permissions,
      roles: [...new Set(member.roleNames.map((name) => roleIdOf.get(name)!))],
      nick: member.nick,
      joinedAt: now,
    });
  }
  if (state.accounts.get(input.ownerId)) {
    const owner = members.get(input.ownerId) ?? newcomer(input.ownerId, now);
    members.set(input.ownerId, { ...owner, permissions: ALL_PERMISSIONS });
  }

  const guild: Guild = {
    id,
    name: input.name,
    icon: input.icon ? imageHash(`icon:${id}`) : null,
    ownerId: input.ownerId,
    features: input.membershipScreening ? [MEMBERSHIP_SCREENING] : [],
    approximateMemberCount: input.approximateMemberCount,
    approximatePresenceCount: input.approximatePresenceCount,
    invite,
  };
  return state.guilds.add(guild, roles, [...members.values()], [generalChannel(invite.channelId, id)]);
}
