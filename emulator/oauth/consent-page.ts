import { APPLICATION_NAME } from "../app-context";
import { avatarPath } from "../cdn/image-paths";
import { type SafeHtml, html } from "../http/html";
import type { Account } from "../state/accounts";
import { AUTHORIZE_PARAMETERS } from "./authorize-request";
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
