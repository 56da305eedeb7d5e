import type { ColumnType, Generated, Selectable } from "kysely";

/** Timestamps are written as Date (or left to their defaults) and read as Date. */
type Timestamp = ColumnType<Date, Date | undefined, Date>;

export interface UsersTable {
  id: Generated<string>;
  discord_id: string;
  username: string;
  discriminator: string | null;
  global_name: string | null;
  avatar_hash: string | null;
  email: string | null;
  email_verified: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
  last_login_at: Date | null;
}

export interface DiscordTokensTable {
  user_id: string;
  /** AES-256-GCM envelopes; see app/crypto */
  access_token_encrypted: string;
  refresh_token_encrypted: string;
  access_token_expires_at: Date;
  /** Space-separated, as Discord returns them. */
  scopes: string;
  /** When the grant was given (the login that stored it); refreshes keep it. */
  granted_at: Timestamp;
  updated_at: Timestamp;
}

export interface SessionsTable {
  /** SHA-256 (base64url) of the secret carried by the cookie, never the secret itself. */
  id: string;
  user_id: string;
  created_at: Timestamp;
  expires_at: Date;
  last_seen_at: Timestamp;
  user_agent: string | null;
  ip: string | null;
}

export interface LoginAttemptsTable {
  /** SHA-256 (base64url) of the OAuth state sent to Discord. */
  id: string;
  code_verifier: string;
  created_at: Timestamp;
  expires_at: Date;
}

export interface RateLimitHitsTable {
  bucket: string;
  window_start: Date;
  hits: number;
}

export interface SecretChecksTable {
  kind: "token-key" | "session-secret";
  id: string;
  /** token-key: a sentinel sealed with the key; session-secret: null. */
  sentinel: string | null;
  last_used_at: Timestamp;
}

export interface AccessChecksTable {
  user_id: string;
  /** Fingerprint of the access rules this row was checked under. */
  rules: string;
  /** When the next check is due; moved forward by the instance that takes the check (a lease). */
  next_check_at: Date;
  /** When Discord last confirmed the person passes the rules. */
  confirmed_at: Date | null;
  /** Since when Discord could not be asked (down, rate limiting); null once it answers. */
  unconfirmed_since: Date | null;
  /** The required server and the required roles the person passed with. */
  guild_id: string | null;
  role_ids: ColumnType<string[], string[] | undefined, string[]>;
}

export interface GuildSettingsTable {
  guild_id: string;
  welcome_channel_id: string | null;
  welcome_message: ColumnType<string, string | undefined, string>;
  version: number;
  updated_at: Timestamp;
  updated_by: string | null;
}

export type GuildSettingField = "welcome_message" | "welcome_channel_id" | "test_message";

export interface GuildSettingChangesTable {
  id: Generated<string>;
  guild_id: string;
  changed_at: Timestamp;
  user_id: string | null;
  field: GuildSettingField;
  old_value: string | null;
  new_value: string | null;
}

export interface ManagerChecksTable {
  user_id: string;
  /** When the next check is due, or, while one is in flight, when its lease runs out. */
  next_check_at: Date;
  checked_at: Date | null;
  managed_guild_ids: ColumnType<string[], string[] | undefined, string[]>;
}

export interface CommunityJoinsTable {
  user_id: string;
  /** The JOIN_GUILD_ID they were added to, or found in, at a sign-in. */
  guild_id: string;
  joined_at: Generated<Date>;
}

export interface RoleConnectionsTable {
  user_id: string;
  /** The role connection last sent to Discord (JSON), to send again only what changed. */
  sent: string;
  sent_at: Date;
}

export interface Database {
  users: UsersTable;
  discord_tokens: DiscordTokensTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
  rate_limit_hits: RateLimitHitsTable;
  secret_checks: SecretChecksTable;
  access_checks: AccessChecksTable;
  guild_settings: GuildSettingsTable;
  guild_setting_changes: GuildSettingChangesTable;
  manager_checks: ManagerChecksTable;
  community_joins: CommunityJoinsTable;
  role_connections: RoleConnectionsTable;
}

export type User = Selectable<UsersTable>;
export type Session = Selectable<SessionsTable>;
