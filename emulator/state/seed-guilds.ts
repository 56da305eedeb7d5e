import { ADMINISTRATOR, ALL_PERMISSIONS, MANAGE_GUILD, ORDINARY_MEMBER } from "../discord/permissions";
import { snowflakeAt } from "../discord/snowflake";
import type { Guild } from "./guilds";
import { imageHash } from "./image-hash";
import { SEED_ACCOUNTS } from "./seed-accounts";

export interface SeedGuild {
  readonly guild: Guild;
  /** account id → permissions */
  readonly members: ReadonlyMap<string, bigint>;
}

type Role = "owner" | "administrator" | "manager" | "member";

const PERMISSIONS_OF: Readonly<Record<Role, bigint>> = {
  owner: ALL_PERMISSIONS,
  administrator: ORDINARY_MEMBER | ADMINISTRATOR,
  manager: ORDINARY_MEMBER | MANAGE_GUILD,
  member: ORDINARY_MEMBER,
};

function idOf(username: string): string {
  const account = SEED_ACCOUNTS.find((candidate) => candidate.username === username);
  if (!account) throw new Error(`seed account ${username} does not exist`);
  return account.id;
}

interface HandMadeGuild {
  readonly created: string;
  readonly name: string;
  readonly hasIcon: boolean;
  readonly features: readonly string[];
  readonly counts: readonly [members: number, online: number];
  readonly roles: Readonly<Record<string, Role>>;
}

const HAND_MADE: readonly HandMadeGuild[] = [
  {
    created: "2017-01-08T15:00:00Z",
    name: "Emulator HQ",
    hasIcon: true,
    features: ["COMMUNITY", "NEWS", "ANIMATED_ICON", "INVITE_SPLASH"],
    counts: [1523, 412],
    roles: {
      nova: "owner",
      pixelpine: "member",
      "ursa.minor": "member",
      legacyfox: "administrator",
      guildhopper: "member",
    },
  },
  {
    created: "2018-09-30T19:20:00Z",
    name: "Pine Forest",
    hasIcon: false,
    features: [],
    counts: [87, 20],
    roles: { pixelpine: "owner", nova: "administrator", quietfern: "member" },
  },
  {
    created: "2016-06-21T23:59:00Z",
    name: "Night Owls",
    hasIcon: true,
    features: ["BANNER"],
    counts: [342, 57],
    roles: { legacyfox: "owner", nova: "manager", pixelpine: "member" },
  },
  {
    created: "2021-08-16T07:15:00Z",
    name: "Quiet Corner",
    hasIcon: false,
    features: [],
    counts: [12, 3],
    roles: { quietfern: "owner", nova: "member", guildhopper: "member" },
  },
];

function fromHandMade(spec: HandMadeGuild): SeedGuild {
  const id = snowflakeAt(Date.parse(spec.created));
  const owner = Object.entries(spec.roles).find(([, role]) => role === "owner")?.[0];
  if (!owner) throw new Error(`seed guild ${spec.name} has no owner`);
  return {
    guild: {
      id,
      name: spec.name,
      icon: spec.hasIcon ? imageHash(`icon:${id}`) : null,
      ownerId: idOf(owner),
      features: spec.features,
      approximateMemberCount: spec.counts[0],
      approximatePresenceCount: spec.counts[1],
    },
    members: new Map(Object.entries(spec.roles).map(([username, role]) => [idOf(username), PERMISSIONS_OF[role]])),
  };
}

const HUB_COUNT = 250;
const DAY_MS = 86_400_000;
/** A user outside the emulated accounts, owning servers no emulated account owns. */
export const STRANGER_ID = snowflakeAt(Date.parse("2017-04-01T00:00:00Z"), 7);

/** Enough servers for one account that /users/@me/guilds needs two pages at the maximum limit. */
function hubs(): SeedGuild[] {
  const hopper = idOf("guildhopper");
  const firstHub = Date.parse("2019-03-01T10:00:00Z");
  return Array.from({ length: HUB_COUNT }, (_, index) => {
    const number = index + 1;
    const id = snowflakeAt(firstHub + index * DAY_MS);
    const ownedByHopper = number % 10 === 0;
    return {
      guild: {
        id,
        name: `Hopper Hub ${String(number).padStart(3, "0")}`,
        icon: number % 3 === 0 ? imageHash(`icon:${id}`) : null,
        ownerId: ownedByHopper ? hopper : STRANGER_ID,
        features: [],
        approximateMemberCount: 10 + ((number * 37) % 900),
        approximatePresenceCount: 1 + ((number * 11) % 10),
      },
      members: new Map([[hopper, ownedByHopper ? ALL_PERMISSIONS : ORDINARY_MEMBER]]),
    };
  });
}

export function seedGuilds(): SeedGuild[] {
  return [...HAND_MADE.map(fromHandMade), ...hubs()];
}
