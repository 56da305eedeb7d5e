import { STATUS_CODES } from "node:http";

/** Discord's generic error body, e.g. {"message": "401: Unauthorized", "code": 0}. */
export function statusError(status: number): { message: string; code: number } {
  return { message: `${status}: ${STATUS_CODES[status] ?? "Error"}`, code: 0 };
}

/**
 * Discord's JSON errors for a resource the caller cannot see, each with its
 * documented code.
 * https://discord.com/developers/docs/topics/opcodes-and-status-codes#json-json-error-codes
 */
export const UNKNOWN_GUILD = { message: "Unknown Guild", code: 10004 } as const;
export const UNKNOWN_INVITE = { message: "Unknown Invite", code: 10006 } as const;
export const UNKNOWN_CHANNEL = { message: "Unknown Channel", code: 10003 } as const;
export const MISSING_ACCESS = { message: "Missing Access", code: 50001 } as const;
export const MISSING_PERMISSIONS = { message: "Missing Permissions", code: 50013 } as const;

export interface FieldError {
  readonly code: string;
  readonly message: string;
}

/** What Discord reports for an id that is not a snowflake, in the query or in the path. */
export function notSnowflake(value: string): FieldError {
  return { code: "NUMBER_TYPE_COERCE", message: `Value "${value}" is not snowflake.` };
}

/**
 * Discord's validation failure (JSON error code 50035): errors are nested
 * under the offending field, each as {"_errors": [{code, message}]}.
 * https://discord.com/developers/docs/reference#error-messages
 */
export function invalidFormBody(errors: Readonly<Record<string, FieldError>>) {
  return {
    message: "Invalid Form Body",
    code: 50035,
    errors: Object.fromEntries(Object.entries(errors).map(([field, error]) => [field, { _errors: [error] }])),
  };
}
