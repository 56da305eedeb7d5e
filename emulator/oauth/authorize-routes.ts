import type { ServerResponse } from "node:http";
import type { AppContext } from "../app-context";
import { isFormEncoded, readBody } from "../http/body";
import type { IncomingRequest, RouteHandler, Router } from "../http/router";
import { redirect, sendHtml } from "../http/respond";
import { crossOriginRefusal } from "../http/same-origin";
import { canManage } from "../discord/permissions";
import type { Account } from "../state/accounts";
import type { Guild } from "../state/guilds";
import { createAccount } from "../state/new-account";
import { byAddress, guarded } from "../traffic/guarded-route";
import { type AuthorizeOutcome, type AuthorizeRequest, parseAuthorizeRequest } from "./authorize-request";
import { consentPage } from "./consent-page";
import { errorPage, refusedPage } from "./error-page";
import { type BotInstall, authorizeAndIssueCode } from "./issue-code";
import { redirectUriWith } from "./redirect-uri";
import { rememberAccountCookie, rememberedAccountId } from "./remembered-account";

/** Handles the two outcomes that end the flow before consent; returns the request otherwise. */
function settleInvalid(res: ServerResponse, outcome: AuthorizeOutcome): AuthorizeRequest | undefined {
  if (outcome.kind === "valid") return outcome.request;
  if (outcome.kind === "untrusted") {
    sendHtml(res, 400, errorPage(outcome.message));
  } else {
    const { error, description, state } = outcome;
    redirect(res, redirectUriWith(outcome.redirectUri, { error, error_description: description, state }));
  }
  return undefined;
}

export function registerAuthorizeRoutes(router: Router, context: AppContext): void {
  const { config } = context;

  /** The consent screen for a valid request; `params` are the original parameters to carry along. */
  function renderConsent(
    res: ServerResponse,
    request: AuthorizeRequest,
    params: URLSearchParams,
    choice: { selected?: string; newUsername?: string; problem?: string; selectedServer?: string },
  ): void {
    const accounts = context.state.accounts.list();
    const selected = choice.selected ?? accounts[0]?.id ?? "new";
    const page = consentPage({
      params,
      scopes: request.scopes,
      redirectUri: request.redirectUri,
      accounts,
      selected,
      newUsername: choice.newUsername,
      problem: choice.problem,
      bot: request.bot
        ? { request: request.bot, servers: managedServers(context, selected), selectedServer: choice.selectedServer }
        : undefined,
    });
    sendHtml(res, choice.problem ? 400 : 200, page);
  }

  function showConsent({ req, res, url }: IncomingRequest): void {
    const request = settleInvalid(res, parseAuthorizeRequest(url.searchParams, config));
    if (!request) return;
    const { accounts, grants } = context.state;
    const remembered = accounts.get(rememberedAccountId(req) ?? "");
    // prompt=none skips the screen for a user who already granted every requested scope;
    // adding a bot always asks where.
    const grant = remembered && grants.activeGrantOf(remembered.id);
    const granted = grant && request.scopes.every((scope) => grant.scopes.has(scope));
    if (request.prompt === "none" && remembered && granted && !request.bot) {
      return redirect(res, authorizeAndIssueCode(context, remembered, request));
    }
    renderConsent(res, request, url.searchParams, { selected: remembered?.id });
  }

  async function submitConsent({ req, res }: IncomingRequest): Promise<void> {
    const crossOrigin = crossOriginRefusal(req);
    if (crossOrigin) return sendHtml(res, 403, refusedPage(crossOrigin));
    if (!isFormEncoded(req)) {
      return sendHtml(res, 400, errorPage("The consent form must be sent as application/x-www-form-urlencoded."));
    }
    const form = new URLSearchParams((await readBody(req)).toString("utf8"));
    const request = settleInvalid(res, parseAuthorizeRequest(form, config));
    if (!request) return;

    const action = form.get("action");
    if (action === "cancel") {
      return redirect(
        res,
        redirectUriWith(request.redirectUri, {
          error: "access_denied",
          error_description: "The resource owner or authorization server denied the request",
          state: request.state,
        }),
      );
    }
    if (action !== "authorize") return sendHtml(res, 400, errorPage("Choose Authorize or Cancel."));

    const chosen = chooseAccount(context, form);
    if ("problem" in chosen) {
      const newUsername = form.get("new_username") ?? "";
      const selected = newUsername.trim() ? "new" : (form.get("account_id") ?? undefined);
      return renderConsent(res, request, form, { selected, newUsername, problem: chosen.problem });
    }
    const bot = request.bot ? chooseBotInstall(context, chosen.account, request.bot, form) : null;
    if (bot && "problem" in bot) {
      return renderConsent(res, request, form, {
        selected: chosen.account.id,
        problem: bot.problem,
        selectedServer: form.get("bot_guild_id") ?? undefined,
      });
    }
    const location = authorizeAndIssueCode(context, chosen.account, request, bot);
    redirect(res, location, { "Set-Cookie": rememberAccountCookie(chosen.account.id) });
  }

  const guard = (handler: RouteHandler) => guarded(context, "authorize", byAddress, handler);
  router.on("GET", "/oauth2/authorize", guard(showConsent));
  router.on("POST", "/oauth2/authorize", guard(submitConsent));
  // Discord serves the screen at /oauth2/authorize; API-prefixed links bounce there.
  router.on("GET", ["/api/oauth2/authorize", "/api/v10/oauth2/authorize"], ({ res, url }) => {
    redirect(res, `/oauth2/authorize${url.search}`);
  });
}

/**
 * A typed username means "create this account", even if the user did not
 * also click its radio button: without scripts the form cannot do that for them.
 */
function chooseAccount(context: AppContext, form: URLSearchParams): { account: Account } | { problem: string } {
  const newUsername = form.get("new_username")?.trim() ?? "";
  const accountId = form.get("account_id");
  if (newUsername !== "" || accountId === "new") {
    if (newUsername === "") return { problem: "Enter a username for the new account." };
    const created = createAccount(context.state, { username: newUsername });
    return "problem" in created ? { problem: `The username "${newUsername}" ${created.problem}.` } : created;
  }
  const account = context.state.accounts.get(accountId ?? "");
  return account ? { account } : { problem: "Choose an account to continue as." };
}

/** The servers an account may add the bot to: those it owns, administers or manages. */
function managedServers(context: AppContext, accountId: string): Guild[] {
  return context.state.guilds
    .membershipsOf(accountId)
    .filter((membership) => canManage(membership.permissions, membership.owner))
    .map((membership) => membership.guild);
}

/**
 * The server chosen for the bot, which the account must manage (and, with
 * disable_guild_select, must be the one the app chose), and the permissions left
 * checked: never more than the app asked for.
 */
function chooseBotInstall(
  context: AppContext,
  account: Account,
  bot: NonNullable<AuthorizeRequest["bot"]>,
  form: URLSearchParams,
): BotInstall | { problem: string } {
  const guildId = form.get("bot_guild_id") ?? "";
  if (bot.guildFixed && guildId !== bot.guildId)
    return { problem: "This app may only be added to the server it chose." };
  const server = managedServers(context, account.id).find((guild) => guild.id === guildId);
  if (!server) return { problem: "Choose a server where you have Manage Server." };
  const checked = form.getAll("bot_permission").reduce((all, value) => {
    return /^[0-9]{1,20}$/.test(value) ? all | BigInt(value) : all;
  }, 0n);
  return { guildId: server.id, permissions: bot.permissions & checked };
}
