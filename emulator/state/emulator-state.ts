import { SnowflakeGenerator } from "../discord/snowflake";
import type { EmulatorConfig } from "../options";
import { FaultQueue } from "../traffic/faults";
import { RateLimiter } from "../traffic/rate-limiter";
import { AccountStore } from "./accounts";
import { CodeStore } from "./codes";
import { Counters } from "./counters";
import { GrantStore } from "./grants";
import { GuildStore } from "./guilds";
import { MessageStore } from "./messages";
import { RoleConnectionStore } from "./role-connections";
import { SEED_ACCOUNTS } from "./seed-accounts";
import { seedGuilds } from "./seed-guilds";

/** Everything a reset throws away: the server swaps in a fresh instance. */
export interface EmulatorState {
  readonly accounts: AccountStore;
  readonly guilds: GuildStore;
  /** What the bot posted, per channel. */
  readonly messages: MessageStore;
  /** Linked Roles: the application's metadata records and each person's role connection. */
  readonly roleConnections: RoleConnectionStore;
  readonly codes: CodeStore;
  readonly grants: GrantStore;
  readonly counters: Counters;
  readonly faults: FaultQueue;
  readonly rateLimits: RateLimiter;
  readonly ids: SnowflakeGenerator;
  /** Webhook URLs that acknowledged a PING; Discord only sends events to verified URLs. */
  readonly verifiedWebhookUrls: Set<string>;
}

export function createSeededState(config: EmulatorConfig): EmulatorState {
  const accounts = new AccountStore();
  SEED_ACCOUNTS.forEach((account) => accounts.add(account));
  const guilds = new GuildStore();
  seedGuilds().forEach(({ guild, roles, members, channels, bot }) => guilds.add(guild, roles, members, channels, bot));
  return {
    accounts,
    guilds,
    messages: new MessageStore(),
    roleConnections: new RoleConnectionStore(),
    codes: new CodeStore(config.codeTtlSeconds * 1000),
    grants: new GrantStore(config.accessTokenTtlSeconds * 1000),
    counters: new Counters(),
    faults: new FaultQueue(),
    rateLimits: new RateLimiter(),
    ids: new SnowflakeGenerator(),
    verifiedWebhookUrls: new Set(),
  };
}
