import { compareSnowflakes } from "../discord/snowflake";

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
}

/** One server as seen by one member: what /users/@me/guilds lists. */
export interface Membership {
  readonly guild: Guild;
  readonly owner: boolean;
  readonly permissions: bigint;
}

export class GuildStore {
  private readonly byId = new Map<string, Guild>();
  /** account id → guild id → that member's permissions */
  private readonly permissionsByAccount = new Map<string, Map<string, bigint>>();

  add(guild: Guild, members: ReadonlyMap<string, bigint>): Guild {
    this.byId.set(guild.id, guild);
    for (const [accountId, permissions] of members) {
      const memberships = this.permissionsByAccount.get(accountId) ?? new Map<string, bigint>();
      memberships.set(guild.id, permissions);
      this.permissionsByAccount.set(accountId, memberships);
    }
    return guild;
  }

  get(id: string): Guild | undefined {
    return this.byId.get(id);
  }

  /** The account's servers in ascending id order, the order Discord pages them in. */
  membershipsOf(accountId: string): Membership[] {
    const memberships: Membership[] = [];
    for (const [guildId, permissions] of this.permissionsByAccount.get(accountId) ?? []) {
      const guild = this.byId.get(guildId);
      if (guild) memberships.push({ guild, owner: guild.ownerId === accountId, permissions });
    }
    return memberships.sort((a, b) => compareSnowflakes(a.guild.id, b.guild.id));
  }
}
