import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface ThrowawaySecrets {
  SESSION_SECRET: string;
  TOKEN_ENCRYPTION_KEY: string;
}

/**
 * Development secrets kept on disk, so a restart keeps people signed in and stored
 * tokens readable. Only used where the app accepts throwaway secrets (never in
 * production against real Discord).
 */
export function loadOrCreateThrowawaySecrets(file: string): ThrowawaySecrets {
  const existing = readSecrets(file);
  if (existing) return existing;
  const secrets = {
    SESSION_SECRET: randomBytes(32).toString("base64"),
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  };
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}

function readSecrets(file: string): ThrowawaySecrets | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return null; // missing or unreadable: throwaway by definition, so start afresh
  }
  const { SESSION_SECRET, TOKEN_ENCRYPTION_KEY } = (parsed ?? {}) as Partial<ThrowawaySecrets>;
  return typeof SESSION_SECRET === "string" && typeof TOKEN_ENCRYPTION_KEY === "string"
    ? { SESSION_SECRET, TOKEN_ENCRYPTION_KEY }
    : null;
}
