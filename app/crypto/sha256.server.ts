import { createHash } from "node:crypto";

/** SHA-256 as base64url (43 characters): how secrets that reach a browser are stored server-side. */
export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("base64url");
}
