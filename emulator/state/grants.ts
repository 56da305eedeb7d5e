import { randomAlphanumeric } from "../discord/random-token";

export type TokenKind = "access" | "refresh";

export interface IssuedToken {
  readonly value: string;
  readonly kind: TokenKind;
  readonly accountId: string;
  readonly grantId: number;
  readonly scopes: readonly string[];
  readonly issuedAt: number;
  /** Access tokens expire; Discord's refresh tokens do not. */
  expiresAt: number | null;
  /** Set when the whole grant was revoked. */
  revokedAt: number | null;
  /** Set on a refresh token once it has been exchanged: refresh tokens rotate. */
  rotatedAt: number | null;
}

export interface TokenPair {
  readonly access: IssuedToken;
  readonly refresh: IssuedToken;
}

/** One user's authorization of the application; revoking it kills every token it issued. */
export interface Grant {
  readonly id: number;
  readonly accountId: string;
  readonly scopes: Set<string>;
}

export function isUsable(token: IssuedToken, now: number): boolean {
  if (token.revokedAt !== null || token.rotatedAt !== null) return false;
  return token.expiresAt === null || now < token.expiresAt;
}

export class GrantStore {
  private nextGrantId = 1;
  private readonly activeGrants = new Map<string, Grant>();
  private readonly tokensByValue = new Map<string, IssuedToken>();
  /** Every token ever issued per account, kept so the control API can list past ones too. */
  private readonly tokensByAccount = new Map<string, IssuedToken[]>();

  constructor(private readonly accessLifetimeMs: number) {}

  /** Records consent; authorizing again widens the existing grant, as on Discord. */
  authorize(accountId: string, scopes: readonly string[]): Grant {
    const grant = this.activeGrants.get(accountId) ?? { id: this.nextGrantId++, accountId, scopes: new Set<string>() };
    scopes.forEach((scope) => grant.scopes.add(scope));
    this.activeGrants.set(accountId, grant);
    return grant;
  }

  activeGrantOf(accountId: string): Grant | undefined {
    return this.activeGrants.get(accountId);
  }

  issuePair(grant: Grant, scopes: readonly string[], now: number): TokenPair {
    const base = {
      accountId: grant.accountId,
      grantId: grant.id,
      scopes,
      issuedAt: now,
      revokedAt: null,
      rotatedAt: null,
    };
    const access: IssuedToken = {
      ...base,
      value: randomAlphanumeric(),
      kind: "access",
      expiresAt: now + this.accessLifetimeMs,
    };
    const refresh: IssuedToken = { ...base, value: randomAlphanumeric(), kind: "refresh", expiresAt: null };
    this.tokensByValue.set(access.value, access).set(refresh.value, refresh);
    const history = this.tokensByAccount.get(grant.accountId) ?? [];
    history.push(access, refresh);
    this.tokensByAccount.set(grant.accountId, history);
    return { access, refresh };
  }

  find(value: string): IssuedToken | undefined {
    return this.tokensByValue.get(value);
  }

  /** Exchanges a refresh token for a new pair; the old refresh token is spent. */
  rotate(refresh: IssuedToken, scopes: readonly string[], now: number): TokenPair {
    const grant = this.activeGrants.get(refresh.accountId);
    if (!grant || grant.id !== refresh.grantId) throw new Error("cannot rotate a token of a revoked grant");
    refresh.rotatedAt = now;
    return this.issuePair(grant, scopes, now);
  }

  /** Ends the account's grant; returns how many still-usable tokens that revoked. */
  revoke(accountId: string, now: number): number {
    const grant = this.activeGrants.get(accountId);
    if (!grant) return 0;
    this.activeGrants.delete(accountId);
    const live = this.tokensOf(accountId).filter((token) => token.grantId === grant.id && isUsable(token, now));
    live.forEach((token) => (token.revokedAt = now));
    return live.length;
  }

  /** Makes every access token of the account expire now; refresh tokens keep working. */
  expireAccessTokens(accountId: string, now: number): number {
    const live = this.tokensOf(accountId).filter((token) => token.kind === "access" && isUsable(token, now));
    live.forEach((token) => (token.expiresAt = now));
    return live.length;
  }

  tokensOf(accountId: string): readonly IssuedToken[] {
    return this.tokensByAccount.get(accountId) ?? [];
  }
}
