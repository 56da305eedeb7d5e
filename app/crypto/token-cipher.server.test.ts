import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { EncryptionKey } from "~/config.server";
import { decryptToken, encryptToken, envelopePrefix, TokenDecryptionError } from "./token-cipher.server";

const oldKey: EncryptionKey = { id: "0ld0ld00", key: randomBytes(32) };
const newKey: EncryptionKey = { id: "5e5e5e5e", key: randomBytes(32) };
const alice = { userId: "9b2e5c1a-0000-4000-8000-000000000001", kind: "refresh" as const };

describe("token cipher", () => {
  it("round-trips and never leaves the plaintext in the envelope", () => {
    const envelope = encryptToken("refresh-token-value", alice, [newKey]);
    expect(envelope).toMatch(/^v1\.5e5e5e5e\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(envelope).not.toContain("refresh-token-value");
    expect(decryptToken(envelope, alice, [newKey])).toBe("refresh-token-value");
  });

  it("uses a fresh IV every time", () => {
    expect(encryptToken("same", alice, [newKey])).not.toBe(encryptToken("same", alice, [newKey]));
  });

  it("refuses an envelope moved to another user or another field", () => {
    const envelope = encryptToken("secret", alice, [newKey]);
    expect(() => decryptToken(envelope, { ...alice, userId: "another-user" }, [newKey])).toThrow(TokenDecryptionError);
    expect(() => decryptToken(envelope, { ...alice, kind: "access" }, [newKey])).toThrow(/authentication failed/);
  });

  it("refuses tampered and malformed envelopes", () => {
    const envelope = encryptToken("secret", alice, [newKey]);
    const parts = envelope.split(".");
    const flipped = Buffer.from(parts[3]!, "base64url");
    flipped[0]! ^= 1;
    parts[3] = flipped.toString("base64url");
    expect(() => decryptToken(parts.join("."), alice, [newKey])).toThrow(/authentication failed/);
    const truncated = envelope.split(".");
    truncated[4] = Buffer.from(truncated[4]!, "base64url").subarray(0, 12).toString("base64url");
    expect(() => decryptToken(truncated.join("."), alice, [newKey])).toThrow(TokenDecryptionError);
    expect(() => decryptToken("plaintext-token", alice, [newKey])).toThrow(/unrecognised format/);
    expect(() => decryptToken(`${envelope}.extra`, alice, [newKey])).toThrow(/unrecognised format/);
  });

  it("decrypts with an older key during rotation, and tells the envelopes apart by key", () => {
    const sealedOld = encryptToken("secret", alice, [oldKey]);
    const rotated = [newKey, oldKey];
    expect(decryptToken(sealedOld, alice, rotated)).toBe("secret");
    expect(sealedOld.startsWith(envelopePrefix(newKey))).toBe(false);
    expect(encryptToken("secret", alice, rotated).startsWith(envelopePrefix(newKey))).toBe(true);
  });

  it("names the missing key when the sealing key was removed", () => {
    const sealedOld = encryptToken("secret", alice, [oldKey]);
    expect(() => decryptToken(sealedOld, alice, [newKey])).toThrow(/key 0ld0ld00 is not among TOKEN_ENCRYPTION_KEY/);
  });
});
