import { getConfig, type Config, type EncryptionKey } from "~/config.server";
import { getDb, type DB } from "~/db/db.server";

export type DiscordSettings = Config["discord"];

/** What acting on a person's Discord grant takes: the database, Discord's settings and the token keys. */
export interface DiscordAccess {
  db: DB;
  discord: DiscordSettings;
  keys: readonly EncryptionKey[];
}

/** This process's, as configured. */
export function discordAccess(): DiscordAccess {
  const config = getConfig();
  return { db: getDb(), discord: config.discord, keys: config.tokenEncryptionKeys };
}
