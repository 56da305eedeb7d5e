import { type FieldError, notSnowflake } from "../discord/errors";
import { isSnowflake } from "../discord/snowflake";

export interface GuildsQuery {
  readonly before: string | null;
  readonly after: string | null;
  readonly limit: number;
  readonly withCounts: boolean;
}

export type GuildsQueryResult = { readonly query: GuildsQuery } | { readonly errors: Record<string, FieldError> };

const MAX_LIMIT = 200;

function snowflakeParam(value: string | null, field: string, errors: Record<string, FieldError>): string | null {
  if (value !== null && !isSnowflake(value)) errors[field] = notSnowflake(value);
  return value;
}

function limitParam(value: string | null, errors: Record<string, FieldError>): number {
  if (value === null) return MAX_LIMIT;
  if (!/^-?\d+$/.test(value)) {
    errors.limit = { code: "NUMBER_TYPE_COERCE", message: `Value "${value}" is not int.` };
  } else if (Number(value) < 1) {
    errors.limit = { code: "NUMBER_TYPE_MIN", message: "int value should be greater than or equal to 1." };
  } else if (Number(value) > MAX_LIMIT) {
    errors.limit = { code: "NUMBER_TYPE_MAX", message: `int value should be less than or equal to ${MAX_LIMIT}.` };
  }
  return Number(value);
}

const BOOLEANS: Readonly<Record<string, boolean>> = { true: true, false: false, "1": true, "0": false };

function booleanParam(value: string | null, field: string, errors: Record<string, FieldError>): boolean {
  if (value === null) return false;
  const parsed = BOOLEANS[value.toLowerCase()];
  if (parsed === undefined)
    errors[field] = { code: "BOOLEAN_TYPE_COERCE", message: `Value "${value}" is not a valid boolean.` };
  return parsed ?? false;
}

/** Validates GET /users/@me/guilds query parameters the way Discord does, collecting every problem. */
export function parseGuildsQuery(params: URLSearchParams): GuildsQueryResult {
  const errors: Record<string, FieldError> = {};
  const query: GuildsQuery = {
    before: snowflakeParam(params.get("before"), "before", errors),
    after: snowflakeParam(params.get("after"), "after", errors),
    limit: limitParam(params.get("limit"), errors),
    withCounts: booleanParam(params.get("with_counts"), "with_counts", errors),
  };
  return Object.keys(errors).length > 0 ? { errors } : { query };
}
