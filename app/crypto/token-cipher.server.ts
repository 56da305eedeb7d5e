import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { EncryptionKey } from "~/config.server";

// Envelope: "v1.<key id>.<iv>.<ciphertext>.<tag>", base64url parts. The key id lets
// several keys coexist during a rotation; the associated data binds a ciphertext to
// its user and its column, so it cannot be replayed into another row or field.

const VERSION = "v1";
const IV_BYTES = 12;

export type TokenKind = "access" | "refresh";

/** What a sealed token belongs to: the associated data that binds it to its row and column. */
export interface TokenBinding {
  userId: string;
  kind: TokenKind;
}

export class TokenDecryptionError extends Error {
  constructor(reason: string) {
    super(`Stored Discord token cannot be decrypted: ${reason}`);
    this.name = "TokenDecryptionError";
  }
}

/** Seals a token under the newest key. */
export function encryptToken(plaintext: string, binding: TokenBinding, keys: readonly EncryptionKey[]): string {
  const key = keys[0];
  if (!key) throw new Error("No token encryption key configured");
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key.key, iv);
  cipher.setAAD(associatedData(binding));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, key.id, iv, ciphertext, cipher.getAuthTag()]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

/** Opens an envelope with whichever configured key sealed it. */
export function decryptToken(envelope: string, binding: TokenBinding, keys: readonly EncryptionKey[]): string {
  const [version, keyId, iv, ciphertext, tag, ...rest] = envelope.split(".");
  if (version !== VERSION || !keyId || !iv || ciphertext === undefined || !tag || rest.length > 0) {
    throw new TokenDecryptionError("unrecognised format");
  }
  const key = keys.find((candidate) => candidate.id === keyId);
  if (!key) throw new TokenDecryptionError(`key ${keyId} is not among TOKEN_ENCRYPTION_KEY`);
  try {
    // A full 16-byte tag only: Node would otherwise accept truncated ones, weakening tamper detection.
    const decipher = createDecipheriv("aes-256-gcm", key.key, Buffer.from(iv, "base64url"), { authTagLength: 16 });
    decipher.setAAD(associatedData(binding));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new TokenDecryptionError("authentication failed (tampered, or sealed for another user or field)");
  }
}

/** How every envelope sealed with `key` begins (to find, in SQL, the ones sealed with others). */
export function envelopePrefix(key: EncryptionKey): string {
  return `${VERSION}.${key.id}.`;
}

function associatedData({ userId, kind }: TokenBinding): Buffer {
  return Buffer.from(`discord_tokens:${userId}:${kind}`, "utf8");
}
