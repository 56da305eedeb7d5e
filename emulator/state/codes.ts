import { randomAlphanumeric } from "../discord/random-token";

export interface AuthorizationCode {
  readonly code: string;
  readonly accountId: string;
  readonly grantId: number;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  /** The S256 code_challenge sent at authorize, or null when PKCE was not used. */
  readonly codeChallenge: string | null;
  /** Where the bot was added with this consent (scope bot), for the token response's `guild`. */
  readonly botGuildId: string | null;
  readonly expiresAt: number;
  redeemed: boolean;
}

export type NewCode = Omit<AuthorizationCode, "code" | "expiresAt" | "redeemed">;

// Spent and expired codes are kept a while so a replay is recognised as a
// reuse (and counted) rather than as an unknown code; after that they go.
const RETENTION_AFTER_EXPIRY_MS = 10 * 60 * 1000;

export class CodeStore {
  /** Insertion order is issue order, and every code shares one lifetime, so the oldest come first. */
  private readonly byCode = new Map<string, AuthorizationCode>();

  constructor(private readonly lifetimeMs: number) {}

  issue(details: NewCode, now: number): AuthorizationCode {
    this.forgetStale(now);
    const code: AuthorizationCode = {
      ...details,
      code: randomAlphanumeric(),
      expiresAt: now + this.lifetimeMs,
      redeemed: false,
    };
    this.byCode.set(code.code, code);
    return code;
  }

  find(code: string): AuthorizationCode | undefined {
    return this.byCode.get(code);
  }

  private forgetStale(now: number): void {
    for (const [value, code] of this.byCode) {
      if (code.expiresAt + RETENTION_AFTER_EXPIRY_MS > now) return;
      this.byCode.delete(value);
    }
  }
}
