import { STATUS_CODES } from "node:http";

/** Discord's generic error body, e.g. {"message": "401: Unauthorized", "code": 0}. */
export function statusError(status: number): { message: string; code: number } {
  return { message: `${status}: ${STATUS_CODES[status] ?? "Error"}`, code: 0 };
}

export interface FieldError {
  readonly code: string;
  readonly message: string;
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
