import { randomBytes } from "node:crypto";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
// Largest multiple of 62 below 256: bytes at or above it are discarded so
// every character is equally likely (no modulo bias).
const UNBIASED_LIMIT = 248;

/**
 * Codes and tokens look like Discord's: 30 alphanumeric characters, which
 * carries about 178 bits of entropy from the system CSPRNG.
 */
export function randomAlphanumeric(length = 30): string {
  let output = "";
  while (output.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < UNBIASED_LIMIT) output += ALPHABET[byte % ALPHABET.length];
      if (output.length === length) break;
    }
  }
  return output;
}
