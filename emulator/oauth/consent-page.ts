import { APPLICATION_NAME } from "../app-context";
import { avatarPath } from "../cdn/image-paths";
import { type SafeHtml, html } from "../http/html";
import { permissionList } from "../discord/permissions";
import type { Account } from "../state/accounts";
import type { Guild } from "../state/guilds";
import { AUTHORIZE_PARAMETERS, type BotRequest } from "./authorize-request";
import { page } from "./page-layout";
import { SCOPE_DESCRIPTIONS, type Scope } from "./scopes";

export interface ConsentPageInput {
  /** The original authorize parameters, echoed back as hidden fields. */
  readonly params: URLSearchParams;
  readonly scopes: readonly Scope[];
  readonly redirectUri: string;
  readonly accounts: readonly Account[];
  /** Which radio starts checked: an account id or "new". */
  readonly selected: string;
  readonly newUsername?: string;
  readonly problem?: string;
  /** With the bot scope: what it asks for, and the servers the selected account may add it to. */
  readonly bot?: { readonly request: BotRequest; readonly servers: readonly Guild[]; readonly selectedServer?: string };
}

/** How Discord names an account under its display name: @username, or name#1234 for legacy ones. */
export function accountHandle(account: Account): string {
  return account.discriminator === "0" ? `@${account.username}` : `${account.username}#${account.discriminator}`;
}

function accountOption(account: Account, selected: string): SafeHtml {
  return html`<label class="account">
<input type="radio" name="account_id" value="${account.id}"${account.id === selected ? html` checked` : ""}>
<img src="${avatarPath(account, 64)}" width="32" height="32" alt="">
<span>${account.globalName ?? account.username} <span class="handle">${accountHandle(account)}</span></span>
</label>`;
}

/** The authorize screen: pick (or create) an emulated account, then Authorize or Cancel. */
export function consentPage(input: ConsentPageInput): SafeHtml {
  const hiddenFields = AUTHORIZE_PARAMETERS.flatMap((name) => {
    const value = input.params.get(name);
    return value === null ? [] : [html`<input type="hidden" name="${name}" value="${value}">`];
  });
  return page(
    `Authorize ${APPLICATION_NAME}`,
    html`<h1>${APPLICATION_NAME}</h1>
<p class="muted">wants to access your Discord account</p>
<form method="post" action="/oauth2/authorize">
${hiddenFields}
<fieldset>
<legend>Continue as</legend>
${input.accounts.map((account) => accountOption(account, input.selected))}
<label class="account">
<input type="radio" name="account_id" value="new"${input.selected === "new" ? html` checked` : ""}>
<span>New account</span>
<input type="text" name="new_username" value="${input.newUsername ?? ""}" placeholder="username" maxlength="32" autocomplete="off" aria-label="Username for a new account">
</label>
</fieldset>
${input.bot ? botFields(input.bot) : ""}
<h2>This will allow the developer of ${APPLICATION_NAME} to:</h2>
<ul>${input.scopes.map((scope) => html`<li>${SCOPE_DESCRIPTIONS[scope]}</li>`)}</ul>
${input.problem ? html`<p class="error" role="alert">${input.problem}</p>` : ""}
<p class="muted">Once you authorize, you will be redirected to ${new URL(input.redirectUri).origin}.</p>
<div class="actions">
<button type="submit" name="action" value="authorize">Authorize</button>
<button type="submit" name="action" value="cancel" class="secondary">Cancel</button>
</div>
</form>`,
  );
}

/**
 * Where the bot goes and what it may do, as Discord's bot authorization asks: a server the
 * account manages (imposed with disable_guild_select), then each permission asked for, all
 * checked, any of which the person may uncheck.
 */
function botFields({ request, servers, selectedServer }: NonNullable<ConsentPageInput["bot"]>): SafeHtml {
  const selected = selectedServer ?? request.guildId ?? "";
  const fixed = request.guildFixed ? servers.find((server) => server.id === request.guildId) : undefined;
  const serverField = fixed
    ? html`<p>${fixed.name}</p><input type="hidden" name="bot_guild_id" value="${fixed.id}">`
    : servers.length === 0
      ? html`<p class="muted">This account manages no server: choose another, or create a server first.</p>`
      : html`<select name="bot_guild_id" aria-label="Server">
${servers.map((server) => html`<option value="${server.id}"${server.id === selected ? html` selected` : ""}>${server.name}</option>`)}
</select>`;
  const permissions = permissionList(request.permissions);
  return html`<fieldset>
<legend>Add to server</legend>
${request.guildFixed && !fixed ? html`<p class="muted">This account does not manage the server the app chose.</p>` : serverField}
</fieldset>
${
  permissions.length === 0
    ? ""
    : html`<fieldset>
<legend>Grant the bot these permissions</legend>
${permissions.map(
  ({ bit, name }) =>
    html`<label class="permission"><input type="checkbox" name="bot_permission" value="${bit.toString()}" checked> ${name}</label>`,
)}
</fieldset>`
}`;
}
