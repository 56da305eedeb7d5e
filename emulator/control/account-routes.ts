import { currentUserJson } from "../api/user-json";
import type { AppContext } from "../app-context";
import { isSnowflake } from "../discord/snowflake";
import type { IncomingRequest, Router } from "../http/router";
import { sendJson } from "../http/respond";
import { type IssuedToken, isUsable } from "../state/grants";
import { createAccount } from "../state/new-account";
import { deauthorize } from "../webhooks/deauthorize";
import { invalidField, readJsonBody } from "./control-json";
import { newAccountSchema } from "./control-schemas";
import { accountFrom } from "./lookups";

/** Why a token no longer works, or "valid". */
function tokenStatus(token: IssuedToken, now: number): string {
  if (isUsable(token, now)) return "valid";
  if (token.revokedAt !== null) return "revoked";
  return token.rotatedAt !== null ? "rotated" : "expired";
}

function tokenJson(token: IssuedToken, now: number) {
  return {
    token: token.value,
    type: token.kind,
    scopes: token.scopes,
    issued_at: new Date(token.issuedAt).toISOString(),
    expires_at: token.expiresAt === null ? null : new Date(token.expiresAt).toISOString(),
    valid: isUsable(token, now),
    status: tokenStatus(token, now),
  };
}

export function registerAccountRoutes(router: Router, context: AppContext): void {
  router.on("GET", "/_emulator/accounts", ({ res }) => {
    sendJson(
      res,
      200,
      context.state.accounts.list().map((account) => currentUserJson(account, true)),
    );
  });

  router.on("POST", "/_emulator/accounts", async ({ req, res }: IncomingRequest) => {
    const body = await readJsonBody(req, newAccountSchema);
    const created = createAccount(context.state, {
      username: body.username,
      globalName: body.global_name,
      email: body.email,
      verified: body.verified,
      avatar: body.avatar,
    });
    if ("problem" in created) throw invalidField("username", created.problem);
    sendJson(res, 201, currentUserJson(created.account, true));
  });

  router.on("POST", "/_emulator/accounts/:id/expire-tokens", ({ res, params }) => {
    const account = accountFrom(context.state, params.id);
    sendJson(res, 200, { expired_access_tokens: context.state.grants.expireAccessTokens(account.id, Date.now()) });
  });

  router.on("POST", "/_emulator/accounts/:id/deauthorize", async ({ res, params }) => {
    sendJson(res, 200, await deauthorize(context, accountFrom(context.state, params.id)));
  });

  router.on("GET", "/_emulator/tokens", ({ res, url }) => {
    const accountId = url.searchParams.get("account_id");
    if (!accountId || !isSnowflake(accountId))
      throw invalidField("account_id", "must be given as a snowflake query parameter");
    const account = accountFrom(context.state, accountId);
    const now = Date.now();
    sendJson(res, 200, {
      account_id: account.id,
      tokens: context.state.grants.tokensOf(account.id).map((token) => tokenJson(token, now)),
    });
  });
}
