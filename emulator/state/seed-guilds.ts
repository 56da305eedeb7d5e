import {
  ADMINISTRATOR,
  ALL_PERMISSIONS,
  BOT_SEED_PERMISSIONS,
  MANAGE_GUILD,
  ORDINARY_MEMBER,
} from "../discord/permissions";
import { snowflakeAt, timestampOf } from "../discord/snowflake";
import {
  type BotPresence,
  CHANNEL_TYPE,
  type Channel,
  type Guild,
  type Member,
  type NewRole,
  generalChannel,
} from "./guilds";
import { imageHash } from "./image-hash";
import { SEED_ACCOUNTS } from "./seed-accounts";

export interface SeedGuild {
  readonly guild: Guild;
  /** Lowest first. */
  readonly roles: readonly NewRole[];
  readonly members: readonly Member[];
  readonly channels: readonly Channel[];
  /** The application's bot, where it has been added. */
  readonly bot: BotPresence | null;
}

/** The invite of "Emulator HQ", which every access-rule test and demo can point people at. */
export const EMULATOR_HQ_INVITE_CODE = "emulator-hq";

type Standing = "owner" | "administrator" | "manager" | "member";

const PERMISSIONS_OF: Readonly<Record<Standing, bigint>> = {
  owner: ALL_PERMISSIONS,
  administrator: ORDINARY_MEMBER | ADMINISTRATOR,
  manager: ORDINARY_MEMBER | MANAGE_GUILD,
  member: ORDINARY_MEMBER,
};

const DAY_MS = 86_400_000;

function idOf(username: string): string {
  const account = SEED_ACCOUNTS.find((candidate) => candidate.username === username);
  if (!account) throw new Error(`seed account ${username} does not exist`);
  return account.id;
}

interface HandMadeRole {
  readonly name: string;
  readonly color: number;
  /** Usernames of the members holding it. */
  readonly holders: readonly string[];
}

interface HandMadeGuild {
  readonly created: string;
  readonly name: string;
  readonly inviteCode: string;
  readonly hasIcon: boolean;
  readonly features: readonly string[];
  readonly counts: readonly [members: number, online: number];
  /** Username → standing; the owner first, then members in the order they joined. */
  readonly members: Readonly<Record<string, Standing>>;
  /** Lowest first. */
  readonly roles: readonly HandMadeRole[];
  readonly nicks?: Readonly<Record<string, string>>;
  /** Whether the application's bot is in it. */
  readonly withBot?: boolean;
}

const HAND_MADE: readonly HandMadeGuild[] = [
  {
    created: "2017-01-08T15:00:00Z",
    name: "Emulator HQ",
    inviteCode: EMULATOR_HQ_INVITE_CODE,
    hasIcon: true,
    features: ["COMMUNITY", "NEWS", "ANIMATED_ICON", "INVITE_SPLASH"],
    counts: [1523, 412],
    members: {
      nova: "owner",
      pixelpine: "member",
      "ursa.minor": "member",
      legacyfox: "administrator",
      // A member holding no role: "members only" passes, "members with a role" does not.
      guildhopper: "member",
    },
    roles: [
      { name: "Member", color: 0x3498db, holders: ["nova", "pixelpine", "ursa.minor", "legacyfox"] },
      { name: "Supporter", color: 0xf1c40f, holders: ["pixelpine"] },
      { name: "Moderator", color: 0xe67e22, holders: ["nova", "legacyfox"] },
    ],
    nicks: { legacyfox: "Fox" },
    withBot: true,
  },
  {
    created: "2018-09-30T19:20:00Z",
    name: "Pine Forest",
    inviteCode: "pine-forest",
    hasIcon: false,
    features: [],
    counts: [87, 20],
    members: { pixelpine: "owner", nova: "administrator", quietfern: "member" },
    roles: [
      { name: "Sapling", color: 0x2ecc71, holders: ["quietfern"] },
      { name: "Ranger", color: 0x1f8b4c, holders: ["nova"] },
    ],
    nicks: { quietfern: "Fern" },
  },
  {
    created: "2016-06-21T23:59:00Z",
    name: "Night Owls",
    inviteCode: "night-owls",
    hasIcon: true,
    features: ["BANNER"],
    counts: [342, 57],
    members: { legacyfox: "owner", nova: "manager", pixelpine: "member" },
    roles: [{ name: "Night Shift", color: 0x9b59b6, holders: ["nova", "pixelpine"] }],
  },
  {
    created: "2021-08-16T07:15:00Z",
    name: "Quiet Corner",
    inviteCode: "quiet-corner",
    hasIcon: false,
    features: [],
    counts: [12, 3],
    members: { quietfern: "owner", nova: "member", guildhopper: "member" },
    roles: [{ name: "Regular", color: 0, holders: ["guildhopper"] }],
  },
];

/**
 * Discord creates a server together with its first channel, so the seed's ids
 * share the server's timestamp: the server, then the channel, then the roles.
 */
const CHANNEL_INCREMENT = 1;
const FIRST_ROLE_INCREMENT = 2;
/** The other channels were made later the same moment, after the roles. */
const MORE_CHANNELS_INCREMENT = 10;

/**
 * A server's channels as Discord's server template lays them out: a text category with
 * #general (the first channel, where the invite leads) and #welcome, #announcements in a
 * server with the NEWS feature, and a voice category with one voice channel.
 */
function channelsOf(guildId: string, createdMs: number, features: readonly string[]): Channel[] {
  const id = (index: number) => snowflakeAt(createdMs, MORE_CHANNELS_INCREMENT + index);
  const [textCategory, voiceCategory] = [id(0), id(1)];
  const channel = (
    channelId: string,
    name: string,
    type: Channel["type"],
    position: number,
    parentId: string | null,
    topic: string | null = null,
  ): Channel => ({ id: channelId, guildId, name, type, position, parentId, topic });
  return [
    channel(textCategory, "Text Channels", CHANNEL_TYPE.category, 0, null),
    generalChannel(snowflakeAt(createdMs, CHANNEL_INCREMENT), guildId, textCategory),
    channel(id(2), "welcome", CHANNEL_TYPE.text, 1, textCategory, "Say hello to newcomers"),
    ...(features.includes("NEWS") ? [channel(id(3), "announcements", CHANNEL_TYPE.announcement, 2, textCategory)] : []),
    channel(voiceCategory, "Voice Channels", CHANNEL_TYPE.category, 1, null),
    channel(id(4), "Lounge", CHANNEL_TYPE.voice, 0, voiceCategory),
  ];
}

/** The bot joins a seeded server a day after it was created. */
function seededBot(createdMs: number): BotPresence {
  return { permissions: BOT_SEED_PERMISSIONS, joinedAt: createdMs + DAY_MS };
}

/** Nobody joins before their account or the server exists; later members joined a day apart. */
function joinedAt(createdMs: number, accountId: string, order: number): number {
  return Math.max(createdMs, timestampOf(accountId)) + order * DAY_MS;
}

function fromHandMade(spec: HandMadeGuild): SeedGuild {
  const createdMs = Date.parse(spec.created);
  const id = snowflakeAt(createdMs);
  const owner = Object.entries(spec.members).find(([, standing]) => standing === "owner")?.[0];
  if (!owner) throw new Error(`seed guild ${spec.name} has no owner`);
  const roles = spec.roles.map((role, index) => ({
    id: snowflakeAt(createdMs, FIRST_ROLE_INCREMENT + index),
    name: role.name,
    color: role.color,
  }));
  for (const role of spec.roles) {
    const outsider = role.holders.find((username) => !(username in spec.members));
    if (outsider) throw new Error(`seed role ${role.name} of ${spec.name} is held by non-member ${outsider}`);
  }
  return {
    guild: {
      id,
      name: spec.name,
      icon: spec.hasIcon ? imageHash(`icon:${id}`) : null,
      ownerId: idOf(owner),
      features: spec.features,
      approximateMemberCount: spec.counts[0],
      approximatePresenceCount: spec.counts[1],
      invite: { code: spec.inviteCode, channelId: snowflakeAt(createdMs, CHANNEL_INCREMENT) },
    },
    roles,
    members: Object.entries(spec.members).map(([username, standing], order) => ({
      accountId: idOf(username),
      permissions: PERMISSIONS_OF[standing],
      roles: roles.filter((_, index) => spec.roles[index]!.holders.includes(username)).map((role) => role.id),
      nick: spec.nicks?.[username] ?? null,
      joinedAt: joinedAt(createdMs, idOf(username), order),
    })),
    channels: channelsOf(id, createdMs, spec.features),
    bot: spec.withBot ? seededBot(createdMs) : null,
  };
}

const HUB_COUNT = 250;
/** A user outside the emulated accounts, owning servers no emulated account owns. */
export const STRANGER_ID = snowflakeAt(Date.parse("2017-04-01T00:00:00Z"), 7);

/** Enough servers for one account that /users/@me/guilds needs two pages at the maximum limit. */
function hubs(): SeedGuild[] {
  const hopper = idOf("guildhopper");
  const firstHub = Date.parse("2019-03-01T10:00:00Z");
  return Array.from({ length: HUB_COUNT }, (_, index) => {
    const number = index + 1;
    const label = String(number).padStart(3, "0");
    const createdMs = firstHub + index * DAY_MS;
    const id = snowflakeAt(createdMs);
    const ownedByHopper = number % 10 === 0;
    return {
      guild: {
        id,
        name: `Hopper Hub ${label}`,
        icon: number % 3 === 0 ? imageHash(`icon:${id}`) : null,
        ownerId: ownedByHopper ? hopper : STRANGER_ID,
        features: [],
        approximateMemberCount: 10 + ((number * 37) % 900),
        approximatePresenceCount: 1 + ((number * 11) % 10),
        invite: { code: `hopper-hub-${label}`, channelId: snowflakeAt(createdMs, CHANNEL_INCREMENT) },
      },
      roles: [],
      members: [
        {
          accountId: hopper,
          permissions: ownedByHopper ? ALL_PERMISSIONS : ORDINARY_MEMBER,
          roles: [],
          nick: null,
          joinedAt: joinedAt(createdMs, hopper, 0),
        },
      ],
      channels: [generalChannel(snowflakeAt(createdMs, CHANNEL_INCREMENT), id)],
      // In 200 of them (and Emulator HQ): the bot's own server list needs two pages of 200.
      bot: number % 5 === 0 ? null : seededBot(createdMs),
    };
  });
}

export function seedGuilds(): SeedGuild[] {
  return [...HAND_MADE.map(fromHandMade), ...hubs()];
}
