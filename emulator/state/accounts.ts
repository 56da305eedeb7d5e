import { compareSnowflakes } from "../discord/snowflake";

/** Locales the seed data uses; all are values of Discord's AvailableLocalesEnum. */
export type Locale = "en-US" | "en-GB" | "de" | "fr" | "ja" | "pt-BR";

/** Discord's premium (Nitro) tiers: none, Classic, Nitro, Basic. */
export type PremiumType = 0 | 1 | 2 | 3;

/** An emulated Discord user; serialised to Discord's shapes in api/user-json.ts. */
export interface Account {
  readonly id: string;
  readonly username: string;
  readonly globalName: string | null;
  /** "0" for migrated usernames, four digits for legacy "name#1234" accounts. */
  readonly discriminator: string;
  readonly avatar: string | null;
  readonly email: string | null;
  readonly verified: boolean;
  readonly locale: Locale;
  readonly mfaEnabled: boolean;
  readonly premiumType: PremiumType;
  readonly publicFlags: number;
}

/**
 * Discord's rules for new usernames: 2-32 characters of lowercase letters,
 * digits, "_" and ".", without two periods in a row.
 * https://support.discord.com/hc/en-us/articles/12620128861463
 */
export function usernameProblem(username: string): string | undefined {
  if (username.length < 2 || username.length > 32) return "must be 2 to 32 characters long";
  if (!/^[a-z0-9_.]+$/.test(username)) return "may only contain lowercase letters, digits, _ and .";
  if (username.includes("..")) return "must not contain two periods in a row";
  return undefined;
}

export class AccountStore {
  private readonly byId = new Map<string, Account>();

  add(account: Account): Account {
    if (this.findByUsername(account.username)) throw new Error(`username ${account.username} is taken`);
    this.byId.set(account.id, account);
    return account;
  }

  get(id: string): Account | undefined {
    return this.byId.get(id);
  }

  findByUsername(username: string): Account | undefined {
    for (const account of this.byId.values()) {
      if (account.username === username) return account;
    }
    return undefined;
  }

  list(): Account[] {
    return [...this.byId.values()].sort((a, b) => compareSnowflakes(a.id, b.id));
  }
}
