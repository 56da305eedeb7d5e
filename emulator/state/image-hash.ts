import { createHash } from "node:crypto";

/**
 * Discord image hashes are 32 hex characters. Deriving them from a label
 * keeps seeded avatars and icons identical across runs and resets.
 */
export function imageHash(label: string): string {
  return createHash("sha256").update(label).digest("hex").slice(0, 32);
}
