import { snowflakeAt } from "../discord/snowflake";
import type { Account } from "./accounts";
import { imageHash } from "./image-hash";

const at = (isoDate: string): string => snowflakeAt(Date.parse(isoDate));

/** HypeSquad Bravery, a public flag many real accounts show. */
const HYPESQUAD_BRAVERY = 1 << 6;

/**
 * The seeded accounts, one per situation a login flow must handle.
 * Documented in docs/emulator.md; tests rely on these exact values.
 */
export const SEED_ACCOUNTS: readonly Account[] = [
  {
    // Custom avatar, verified email, Nitro, MFA; owns, administers and manages servers.
    id: at("2016-03-14T09:26:53Z"),
    username: "nova",
    globalName: "Nova Quinn",
    discriminator: "0",
    avatar: imageHash("avatar:nova"),
    email: "nova@example.com",
    verified: true,
    locale: "en-US",
    mfaEnabled: true,
    premiumType: 2,
    publicFlags: HYPESQUAD_BRAVERY,
  },
  {
    // No custom avatar: clients must fall back to a default avatar.
    id: at("2018-07-02T17:04:11Z"),
    username: "pixelpine",
    globalName: "Pixel Pine",
    discriminator: "0",
    avatar: null,
    email: "pixel.pine@example.com",
    verified: true,
    locale: "en-GB",
    mfaEnabled: false,
    premiumType: 0,
    publicFlags: 0,
  },
  {
    // Email present but never verified.
    id: at("2020-11-20T21:45:00Z"),
    username: "ursa.minor",
    globalName: "Ursa",
    discriminator: "0",
    avatar: imageHash("avatar:ursa.minor"),
    email: "ursa@example.org",
    verified: false,
    locale: "de",
    mfaEnabled: false,
    premiumType: 0,
    publicFlags: 0,
  },
  {
    // Signed up by phone: no email at all, and no display name.
    id: at("2021-05-05T05:05:05Z"),
    username: "quietfern",
    globalName: null,
    discriminator: "0",
    avatar: null,
    email: null,
    verified: false,
    locale: "fr",
    mfaEnabled: false,
    premiumType: 0,
    publicFlags: 0,
  },
  {
    // Never migrated off the legacy name#1234 scheme.
    id: at("2015-09-01T12:00:00Z"),
    username: "legacyfox",
    globalName: null,
    discriminator: "4821",
    avatar: imageHash("avatar:legacyfox"),
    email: "fox@example.net",
    verified: true,
    locale: "en-US",
    mfaEnabled: false,
    premiumType: 1,
    publicFlags: 0,
  },
  {
    // Member of more than 200 servers, so listing them takes several pages.
    id: at("2019-02-11T08:30:00Z"),
    username: "guildhopper",
    globalName: "Guild Hopper",
    discriminator: "0",
    avatar: null,
    email: "hopper@example.com",
    verified: true,
    locale: "ja",
    mfaEnabled: false,
    premiumType: 3,
    publicFlags: 0,
  },
];
