import type { AppContext } from "../app-context";
import type { Account } from "../state/accounts";
import type { AuthorizeRequest } from "./authorize-request";
import { redirectUriWith } from "./redirect-uri";

/** Where the person added the bot, and what they let it do (never more than was asked). */
export interface BotInstall {
  readonly guildId: string;
  readonly permissions: bigint;
}

/**
 * Records the user's consent (Discord lists the app as authorized from this
 * moment), adds the bot where they chose, and returns the redirect that hands
 * the client its code (with the bot: the server and the permissions granted).
 */
export function authorizeAndIssueCode(
  context: AppContext,
  account: Account,
  request: AuthorizeRequest,
  bot: BotInstall | null = null,
): string {
  const { state } = context;
  if (bot) {
    // Authorizing again where the bot already is updates what it may do, as on Discord.
    const joinedAt = state.guilds.botIn(bot.guildId)?.joinedAt ?? Date.now();
    state.guilds.putBot(bot.guildId, { permissions: bot.permissions, joinedAt });
    state.counters.count("bots_added");
  }
  const grant = state.grants.authorize(account.id, request.scopes);
  const { code } = state.codes.issue(
    {
      accountId: account.id,
      grantId: grant.id,
      redirectUri: request.redirectUri,
      scopes: request.scopes,
      codeChallenge: request.codeChallenge,
      botGuildId: bot?.guildId ?? null,
    },
    Date.now(),
  );
  state.counters.count("codes_issued");
  if (request.codeChallenge) state.counters.count("codes_issued_with_pkce");
  return redirectUriWith(request.redirectUri, {
    code,
    state: request.state,
    ...(bot ? { guild_id: bot.guildId, permissions: bot.permissions.toString() } : {}),
  });
}
