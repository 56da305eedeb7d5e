import type { ServerResponse } from "node:http";
import { sendJson } from "../http/respond";

/** An RFC 6749 §5.2 error from the token or revocation endpoint. */
export class OAuthError extends Error {
  constructor(
    readonly status: 400 | 401,
    readonly error: string,
    readonly description: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(`${error}: ${description}`);
    this.name = "OAuthError";
  }
}

/** Token endpoint responses must never be cached (RFC 6749 §5.1). */
export function sendOAuthJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  sendJson(res, status, body, { ...headers, "Cache-Control": "no-store", Pragma: "no-cache" });
}

export function sendOAuthError(res: ServerResponse, error: OAuthError): void {
  sendOAuthJson(res, error.status, { error: error.error, error_description: error.description }, error.headers);
}

export const invalidRequest = (description: string) => new OAuthError(400, "invalid_request", description);
export const invalidGrant = (description: string) => new OAuthError(400, "invalid_grant", description);
