import { type Transaction, sql } from "kysely";
import type { DB } from "~/db/db.server";
import type { Database, GuildSettingField } from "~/db/schema";

/** A server's settings as the dashboard shows and saves them. Version 0: never saved. */
export interface GuildSettings {
  guildId: string;
  welcomeChannelId: string | null;
  welcomeMessage: string;
  version: number;
  updatedAt: Date | null;
  updatedBy: { name: string } | null;
}

export interface SettingsChange {
  field: GuildSettingField;
  oldValue: string | null;
  newValue: string | null;
  changedAt: Date;
  /** The person's Discord name today, or null when their account was deleted here. */
  by: string | null;
}

export type SaveOutcome =
  | { saved: true; settings: GuildSettings }
  /** Someone saved a newer version first: theirs stands, and is answered. */
  | { saved: false; current: GuildSettings };

/** How many changes the page shows: the newest. */
export const CHANGES_SHOWN = 20;

export async function readGuildSettings(db: DB, guildId: string): Promise<GuildSettings> {
  const row = await db
    .selectFrom("guild_settings")
    .leftJoin("users", "users.id", "guild_settings.updated_by")
    .select([
      "guild_settings.welcome_channel_id",
      "guild_settings.welcome_message",
      "guild_settings.version",
      "guild_settings.updated_at",
      sql<string | null>`coalesce(users.global_name, users.username)`.as("updated_by_name"),
    ])
    .where("guild_settings.guild_id", "=", guildId)
    .executeTakeFirst();
  if (!row)
    return { guildId, welcomeChannelId: null, welcomeMessage: "", version: 0, updatedAt: null, updatedBy: null };
  return {
    guildId,
    welcomeChannelId: row.welcome_channel_id,
    welcomeMessage: row.welcome_message,
    version: row.version,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by_name === null ? null : { name: row.updated_by_name },
  };
}

/**
 * Saves the settings if they are still at `expectedVersion` (the one the person's form was
 * made from), recording each field that changed; otherwise changes nothing and answers
 * the current settings. The first of two managers saving at once wins: the second is told,
 * and keeps what they typed to try again on top of the first's.
 */
export async function saveGuildSettings(
  db: DB,
  change: {
    guildId: string;
    userId: string;
    expectedVersion: number;
    welcomeChannelId: string | null;
    welcomeMessage: string;
  },
): Promise<SaveOutcome> {
  const saved = await db.transaction().execute(async (tx) => {
    const before = await tx
      .selectFrom("guild_settings")
      .select(["welcome_channel_id", "welcome_message", "version"])
      .where("guild_id", "=", change.guildId)
      .forUpdate()
      .executeTakeFirst();
    if ((before?.version ?? 0) !== change.expectedVersion) return false;
    const values = {
      welcome_channel_id: change.welcomeChannelId,
      welcome_message: change.welcomeMessage,
      updated_at: sql<Date>`now()`,
      updated_by: change.userId,
    };
    const written = await tx
      .insertInto("guild_settings")
      .values({ guild_id: change.guildId, version: 1, ...values })
      // A first save racing another first save: no row to lock, so the insert decides.
      .onConflict((conflict) =>
        conflict
          .column("guild_id")
          .doUpdateSet({ ...values, version: sql<number>`guild_settings.version + 1` })
          .where("guild_settings.version", "=", change.expectedVersion),
      )
      .returning("version")
      .executeTakeFirst();
    if (!written) return false;
    await recordChanges(tx, change.guildId, change.userId, [
      ["welcome_channel_id", before?.welcome_channel_id ?? null, change.welcomeChannelId],
      ["welcome_message", before?.welcome_message ?? "", change.welcomeMessage],
    ]);
    return true;
  });
  const settings = await readGuildSettings(db, change.guildId);
  return saved ? { saved: true, settings } : { saved: false, current: settings };
}

/** Records that a test message was sent to a channel, in the same trail as the changes. */
export async function recordTestMessage(db: DB, guildId: string, userId: string, channelId: string): Promise<void> {
  await recordChanges(db, guildId, userId, [["test_message", null, channelId]]);
}

async function recordChanges(
  tx: Transaction<Database> | DB,
  guildId: string,
  userId: string,
  fields: [GuildSettingField, string | null, string | null][],
): Promise<void> {
  const changed = fields.filter(([field, oldValue, newValue]) => field === "test_message" || oldValue !== newValue);
  if (changed.length === 0) return;
  await tx
    .insertInto("guild_setting_changes")
    .values(
      changed.map(([field, oldValue, newValue]) => ({
        guild_id: guildId,
        user_id: userId,
        field,
        old_value: oldValue,
        new_value: newValue,
      })),
    )
    .execute();
}

/** The newest changes first, with who made them as they are named today. */
export async function listGuildSettingChanges(
  db: DB,
  guildId: string,
  limit = CHANGES_SHOWN,
): Promise<SettingsChange[]> {
  const rows = await db
    .selectFrom("guild_setting_changes")
    .leftJoin("users", "users.id", "guild_setting_changes.user_id")
    .select([
      "guild_setting_changes.field",
      "guild_setting_changes.old_value",
      "guild_setting_changes.new_value",
      "guild_setting_changes.changed_at",
      sql<string | null>`coalesce(users.global_name, users.username)`.as("by"),
    ])
    .where("guild_setting_changes.guild_id", "=", guildId)
    .orderBy("guild_setting_changes.changed_at", "desc")
    .orderBy("guild_setting_changes.id", "desc")
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    field: row.field,
    oldValue: row.old_value,
    newValue: row.new_value,
    changedAt: row.changed_at,
    by: row.by,
  }));
}
