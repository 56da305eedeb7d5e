/**
 * Linked Roles: the application's role-connection metadata (what a server's role can
 * require) and each person's role connection (what the application says of them).
 */

/** Discord's ApplicationRoleConnectionMetadataType: how a server's value is compared. */
export const METADATA_TYPES = {
  1: "INTEGER_LESS_THAN_OR_EQUAL",
  2: "INTEGER_GREATER_THAN_OR_EQUAL",
  3: "INTEGER_EQUAL",
  4: "INTEGER_NOT_EQUAL",
  5: "DATETIME_LESS_THAN_OR_EQUAL",
  6: "DATETIME_GREATER_THAN_OR_EQUAL",
  7: "BOOLEAN_EQUAL",
  8: "BOOLEAN_NOT_EQUAL",
} as const;
export type MetadataType = keyof typeof METADATA_TYPES;

export interface MetadataRecord {
  readonly type: MetadataType;
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly name_localizations?: Readonly<Record<string, string>> | null;
  readonly description_localizations?: Readonly<Record<string, string>> | null;
}

export interface RoleConnection {
  readonly platformName: string | null;
  readonly platformUsername: string | null;
  /** Metadata key → its value, as the string the application sent. */
  readonly metadata: Readonly<Record<string, string>>;
  readonly updatedAt: number;
}

export class RoleConnectionStore {
  private records: readonly MetadataRecord[] = [];
  private readonly connections = new Map<string, RoleConnection>();

  metadata(): readonly MetadataRecord[] {
    return this.records;
  }

  /** Replaces every record, as Discord's PUT does. */
  setMetadata(records: readonly MetadataRecord[]): void {
    this.records = records;
  }

  of(accountId: string): RoleConnection | undefined {
    return this.connections.get(accountId);
  }

  set(accountId: string, connection: RoleConnection): void {
    this.connections.set(accountId, connection);
  }

  delete(accountId: string): void {
    this.connections.delete(accountId);
  }

  all(): [accountId: string, connection: RoleConnection][] {
    return [...this.connections];
  }
}

/** Whether `value` is what a record of `type` takes: an integer, an ISO 8601 date-time, or 0/1. */
export function valueFits(type: MetadataType, value: string): boolean {
  if (type <= 4) return /^-?\d{1,19}$/.test(value);
  if (type <= 6)
    return /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) && !Number.isNaN(Date.parse(value));
  return value === "0" || value === "1";
}
