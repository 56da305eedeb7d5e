import type { AppContext } from "../app-context";
import type { Account } from "../state/accounts";
import type { AuthorizeRequest } from "./authorize-request";
import { redirectUriWith } from "./redirect-uri";

/**
 * Records the user's consent (Discord lists the app as authorized from this
 * moment) and returns the redirect that hands the client its code.
 */
export function authorizeAndIssueCode(context: AppContext, account: Account, request: AuthorizeRequest): string {
  const { state } = context;
  const grant = state.grants.authorize(account.id, request.scopes);
  const { code } = state.codes.issue(
    {
      accountId: account.id,
      grantId: grant.id,
      redirectUri: request.redirectUri,
      scopes: request.scopes,
      codeChallenge: request.codeChallenge,
    },
    Date.now(),
  );
  state.counters.count("codes_issued");
  if (request.codeChallenge) state.counters.count("codes_issued_with_pkce");
  return redirectUriWith(request.redirectUri, { code, state: request.state });
}
