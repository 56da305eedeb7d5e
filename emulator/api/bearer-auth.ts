import type { AppContext } from "../app-context";
import { statusError } from "../discord/errors";
import type { IncomingRequest } from "../http/router";
import { sendJson } from "../http/respond";
import type { Account } from "../state/accounts";
import { type IssuedToken, isUsable } from "../state/grants";

export interface Authorized {
  readonly token: IssuedToken;
  readonly account: Account;
}

function usableAccessToken(context: AppContext, header: string | undefined): Authorized | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  const token = match ? context.state.grants.find(match[1]!) : undefined;
  if (!token || token.kind !== "access" || !isUsable(token, Date.now())) return undefined;
  const account = context.state.accounts.get(token.accountId);
  return account ? { token, account } : undefined;
}

/**
 * Resolves the bearer token, answering 401 {"message": "401: Unauthorized",
 * "code": 0} when it is missing, unknown, expired or revoked.
 *
 * A valid token without the required scope gets the same 401: that is what
 * Discord answers, e.g. /users/@me without identify
 * (nextauthjs/next-auth#1948) and /users/@me/guilds without guilds
 * (reboxer/discord-oauth2#40) - not 403 Missing Access (50001), which is
 * reserved for resources a bot cannot see. The member route checks its scope
 * itself, as it answers 403 (see api-routes.ts).
 */
export function authorize(
  context: AppContext,
  { req, res }: IncomingRequest,
  requiredScope?: string,
): Authorized | undefined {
  const authorized = usableAccessToken(context, req.headers.authorization);
  if (authorized && (!requiredScope || authorized.token.scopes.includes(requiredScope))) return authorized;
  sendJson(res, 401, statusError(401));
  return undefined;
}
