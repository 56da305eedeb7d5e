import { ORDINARY_MEMBER } from "../discord/permissions";
import { compareSnowflakes } from "../discord/snowflake";

/** The server's invite link. Discord servers may have many; an app needs one to point people at. */
export interface GuildInvite {
  readonly code: string;
  /** The channel the invite opens, which Discord reports with every invite. */
  readonly channelId: string;
}

/** An emulated Discord server ("guild" in the API). */
export interface Guild {
  readonly id: string;
  readonly name: string;
  readonly icon: string | null;
  readonly ownerId: string;
  /** Values of Discord's GuildFeatures enum. */
  readonly features: readonly string[];
  readonly approximateMemberCount: number;
  readonly approximatePresenceCount: number;
  readonly invite: GuildInvite;
}

/**
 * A role, trimmed to what access rules and the control API need. Roles are
 * labels here: a member's permissions are set on the member.
 */
export interface Role {
  readonly id: string;
  readonly name: string;
  /** RGB as an integer, 0 for "no colour", as Discord encodes it. */
  readonly color: number;
  /** Rank in the server's list; roles added later rank higher. */
  readonly position: number;
}

export type NewRole = Omit<Role, "position">;

/** Discord's channel types that servers hold here (ChannelTypes in the OpenAPI description). */
export const CHANNEL_TYPE = { text: 0, voice: 2, category: 4, announcement: 5 } as const;
export type ChannelType = (typeof CHANNEL_TYPE)[keyof typeof CHANNEL_TYPE];

/** A server's channel, trimmed to what a bot dashboard reads: where messages can go. */
export interface Channel {
  readonly id: string;
  readonly guildId: string;
  readonly name: string;
  readonly type: ChannelType;
  /** Order among its siblings, as Discord sorts the channel list. */
  readonly position: number;
  /** The category it sits in, if any. */
  readonly parentId: string | null;
  readonly topic: string | null;
}

/** A server's first channel, where its invite leads: #general, a text channel at the top. */
export function generalChannel(id: string, guildId: string, parentId: string | null = null): Channel {
  return { id, guildId, name: "general", type: CHANNEL_TYPE.text, position: 0, parentId, topic: null };
}

/** Text and announcement channels take messages; voice channels and categories do not here. */
export function takesMessages(channel: Channel): boolean {
  return channel.type === CHANNEL_TYPE.text || channel.type === CHANNEL_TYPE.announcement;
}

/** The application's bot in a server: added by someone who manages it, with the permissions they granted. */
export interface BotPresence {
  readonly permissions: bigint;
  /** Unix time in milliseconds. */
  readonly joinedAt: number;
}

/** One account's membership of one server. */
export interface Member {
  readonly accountId: string;
  readonly permissions: bigint;
  /** Ids of the roles held. @everyone (whose id is the server's) is implied, never listed, as on Discord. */
  readonly roles: readonly string[];
  readonly nick: string | null;
  /** Unix time in milliseconds. */
  readonly joinedAt: number;
  /** Joined a server with membership screening and has not completed it yet. */
  readonly pending?: boolean;
}

/** Discord's guild feature for membership screening: people who join wait as `pending`. */
export const MEMBERSHIP_SCREENING = "MEMBER_VERIFICATION_GATE_ENABLED";

/** Someone who has just joined: an ordinary member's permissions, no role, no nickname. */
export function newcomer(accountId: string, joinedAt: number): Member {
  return { accountId, permissions: ORDINARY_MEMBER, roles: [], nick: null, joinedAt };
}

/** One server as seen by one member: what /users/@me/guilds lists. */
export interface Membership {
  readonly guild: Guild;
  readonly owner: boolean;
  readonly permissions: bigint;
}

interface GuildRecord {
  readonly guild: Guild;
  readonly roles: Map<string, Role>;
  readonly members: Map<string, Member>;
  readonly channels: Map<string, Channel>;
  bot: BotPresence | null;
}

export class GuildStore {
  private readonly byId = new Map<string, GuildRecord>();
  private readonly byInviteCode = new Map<string, Guild>();
  /** account id → ids of its servers, so listing one account's servers does not scan every server */
  private readonly guildIdsByAccount = new Map<string, Set<string>>();
  private readonly guildIdByChannel = new Map<string, string>();

  add(
    guild: Guild,
    roles: readonly NewRole[],
    members: readonly Member[],
    channels: readonly Channel[] = [],
    bot: BotPresence | null = null,
  ): Guild {
    this.byId.set(guild.id, { guild, roles: new Map(), members: new Map(), channels: new Map(), bot });
    this.byInviteCode.set(guild.invite.code, guild);
    roles.forEach((role) => this.addRole(guild.id, role));
    members.forEach((member) => this.putMember(guild.id, member));
    for (const channel of channels) {
      this.record(guild.id).channels.set(channel.id, channel);
      this.guildIdByChannel.set(channel.id, guild.id);
    }
    return guild;
  }

  /** The server's channels in Discord's order: by position, then by id. */
  channelsOf(guildId: string): Channel[] {
    return [...(this.byId.get(guildId)?.channels.values() ?? [])].sort(
      (a, b) => a.position - b.position || compareSnowflakes(a.id, b.id),
    );
  }

  channel(channelId: string): Channel | undefined {
    const guildId = this.guildIdByChannel.get(channelId);
    return guildId === undefined ? undefined : this.byId.get(guildId)?.channels.get(channelId);
  }

  /** The bot's place in the server, or null when it is not there. */
  botIn(guildId: string): BotPresence | null {
    return this.byId.get(guildId)?.bot ?? null;
  }

  /** Adds the bot, or changes the permissions it holds. */
  putBot(guildId: string, bot: BotPresence): void {
    this.record(guildId).bot = bot;
  }

  /** Returns whether the bot was there. */
  removeBot(guildId: string): boolean {
    const record = this.byId.get(guildId);
    const present = Boolean(record?.bot);
    if (record) record.bot = null;
    return present;
  }

  /** The servers the bot is in, as /users/@me/guilds lists them for its token: ascending ids. */
  botMemberships(): Membership[] {
    const memberships: Membership[] = [];
    for (const { guild, bot } of this.byId.values()) {
      if (bot) memberships.push({ guild, owner: false, permissions: bot.permissions });
    }
    return memberships.sort((a, b) => compareSnowflakes(a.guild.id, b.guild.id));
  }

  get(id: string): Guild | undefined {
    return this.byId.get(id)?.guild;
  }

  findByInviteCode(code: string): Guild | undefined {
    return this.byInviteCode.get(code);
  }

  /** The server's roles, lowest first. */
  rolesOf(guildId: string): Role[] {
    return [...(this.byId.get(guildId)?.roles.values() ?? [])];
  }

  role(guildId: string, roleId: string): Role | undefined {
    return this.byId.get(guildId)?.roles.get(roleId);
  }

  addRole(guildId: string, role: NewRole): Role {
    const { roles } = this.record(guildId);
    const added = { ...role, position: roles.size + 1 };
    roles.set(added.id, added);
    return added;
  }

  /** The server's members in the order they were added. */
  membersOf(guildId: string): Member[] {
    return [...(this.byId.get(guildId)?.members.values() ?? [])];
  }

  member(guildId: string, accountId: string): Member | undefined {
    return this.byId.get(guildId)?.members.get(accountId);
  }

  /** Adds the member, or replaces what the server knows about them. */
  putMember(guildId: string, member: Member): void {
    this.record(guildId).members.set(member.accountId, member);
    const guildIds = this.guildIdsByAccount.get(member.accountId) ?? new Set<string>();
    this.guildIdsByAccount.set(member.accountId, guildIds.add(guildId));
  }

  /** Returns whether the account was a member. */
  removeMember(guildId: string, accountId: string): boolean {
    this.guildIdsByAccount.get(accountId)?.delete(guildId);
    return this.byId.get(guildId)?.members.delete(accountId) ?? false;
  }

  /** The account's servers in ascending id order, the order Discord pages them in. */
  membershipsOf(accountId: string): Membership[] {
    const memberships: Membership[] = [];
    for (const guildId of this.guildIdsByAccount.get(accountId) ?? []) {
      const record = this.byId.get(guildId);
      const member = record?.members.get(accountId);
      if (record && member) {
        const { guild } = record;
        memberships.push({ guild, owner: guild.ownerId === accountId, permissions: member.permissions });
      }
    }
    return memberships.sort((a, b) => compareSnowflakes(a.guild.id, b.guild.id));
  }

  private record(guildId: string): GuildRecord {
    const record = this.byId.get(guildId);
    if (!record) throw new Error(`no server has the id ${guildId}`);
    return record;
  }
}
