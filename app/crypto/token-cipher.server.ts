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
  constructor(
    /**
     * `missing_key`: sealed with a key this instance does not have (a configuration
     * mistake; the data is fine). `unreadable`: no key can ever open it (tampered,
     * moved to another row, or not an envelope at all).
     */
    readonly problem: "missing_key" | "unreadable",
    reason: string,
  ) {
    super(`Stored Discord token cannot be decrypted: ${reason}`);
    this.name = "TokenDecryptionError";
  }
}

/** Seals a token under the newest key. */
export function encryptToken(plaintext: string, binding: TokenBinding, keys: readonly EncryptionKey[]): string {
  const key = keys[0];
  if (!key) throw new Error("No token encryption key configured");
  return seal(plaintext, associatedData(binding), key);
}

function seal(plaintext: string, aad: Buffer, key: EncryptionKey): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key.key, iv);
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, key.id, iv, ciphertext, cipher.getAuthTag()]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

/** Opens an envelope with whichever configured key sealed it. */
export function decryptToken(envelope: string, binding: TokenBinding, keys: readonly EncryptionKey[]): string {
  return open(envelope, associatedData(binding), keys);
}

/**
 * A sentinel sealed with `key` (stored at start: app/startup.server.ts), so an instance
 * can prove it holds every key that sealed what is stored before it touches any of it.
 */
export function sealKeyCheck(key: EncryptionKey): string {
  return seal(KEY_CHECK, KEY_CHECK_BINDING, key);
}

/** Whether `keys` open a sentinel from sealKeyCheck. */
export function opensKeyCheck(envelope: string, keys: readonly EncryptionKey[]): boolean {
  try {
    return open(envelope, KEY_CHECK_BINDING, keys) === KEY_CHECK;
  } catch {
    return false;
  }
}

const KEY_CHECK = "remix-discord-login key check";
const KEY_CHECK_BINDING = Buffer.from("key_check", "utf8");

function open(envelope: string, aad: Buffer, keys: readonly EncryptionKey[]): string {
  const [version, keyId, iv, ciphertext, tag, ...rest] = envelope.split(".");
  if (version !== VERSION || !keyId || !iv || ciphertext === undefined || !tag || rest.length > 0) {
    throw new TokenDecryptionError("unreadable", "unrecognised format");
  }
  const key = keys.find((candidate) => candidate.id === keyId);
  if (!key) throw new TokenDecryptionError("missing_key", `key ${keyId} is not among TOKEN_ENCRYPTION_KEY`);
  try {
    // A full 16-byte tag only: Node would otherwise accept truncated ones, weakening tamper detection.
    const decipher = createDecipheriv("aes-256-gcm", key.key, Buffer.from(iv, "base64url"), { authTagLength: 16 });
    decipher.setAAD(aad);
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new TokenDecryptionError(
      "unreadable",
      "authentication failed (tampered, or sealed for another user or field)",
    );
  }
}

/** How every envelope sealed with `key` begins (to find, in SQL, the ones sealed with others). */
export function envelopePrefix(key: EncryptionKey): string {
  return `${VERSION}.${key.id}.`;
}

function associatedData({ userId, kind }: TokenBinding): Buffer {
  return Buffer.from(`discord_tokens:${userId}:${kind}`, "utf8");
}
