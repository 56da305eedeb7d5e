import { avatarPath, iconPath } from "../cdn/image-paths";
import { type SafeHtml, html } from "../http/html";
import { accountHandle } from "../oauth/consent-page";
import { page } from "../oauth/page-layout";
import type { Account } from "../state/accounts";
import type { Guild } from "../state/guilds";

/** What the invite page shows about the server it leads to. */
export interface InvitedGuild {
  readonly guild: Guild;
  /** Shown as Discord shows it: approximate, never below the members the emulator knows of. */
  readonly memberCount: number;
  readonly onlineCount: number;
}

export interface InvitePageInput extends InvitedGuild {
  readonly accounts: readonly Account[];
  /** Accounts already in the server: listed, but not selectable. */
  readonly memberIds: ReadonlySet<string>;
  /** The account whose radio starts checked. */
  readonly selected?: string;
  readonly problem?: string;
}

/** Discord's fallback for a server without an icon: the first letter of each word of its name. */
export function guildInitials(name: string): string {
  return name
    .replace(/'s /g, " ")
    .split(/\s+/)
    .map((word) => [...word][0] ?? "")
    .join("");
}

const count = (value: number) => value.toLocaleString("en-US");

function displayName(account: Account): string {
  return account.globalName ?? account.username;
}

function guildHeader({ guild, memberCount, onlineCount }: InvitedGuild): SafeHtml {
  const icon = iconPath(guild, 128);
  return html`<div class="guild">
<div class="guild-icon">${icon ? html`<img src="${icon}" width="64" height="64" alt="">` : guildInitials(guild.name)}</div>
<p class="muted">You've been invited to join</p>
<h1>${guild.name}</h1>
<p class="muted">${count(onlineCount)} Online · ${count(memberCount)} Members</p>
</div>`;
}

function accountOption(account: Account, input: InvitePageInput): SafeHtml {
  const isMember = input.memberIds.has(account.id);
  const checked = !isMember && account.id === input.selected;
  return html`<label class="account${isMember ? " taken" : ""}">
<input type="radio" name="account_id" value="${account.id}"${isMember ? html` disabled` : ""}${checked ? html` checked` : ""}>
<img src="${avatarPath(account, 64)}" width="32" height="32" alt="">
<span>${displayName(account)} <span class="handle">${accountHandle(account)}</span></span>
${isMember ? html`<span class="tag">Already a member</span>` : ""}
</label>`;
}

/** Discord's invite screen: the server, then which emulated account accepts. */
export function invitePage(input: InvitePageInput): SafeHtml {
  const { guild } = input;
  const anyoneCanJoin = input.accounts.some((account) => !input.memberIds.has(account.id));
  return page(
    `Invite to ${guild.name}`,
    html`${guildHeader(input)}
<form method="post" action="/invite/${guild.invite.code}">
<fieldset>
<legend>Join as</legend>
${input.accounts.map((account) => accountOption(account, input))}
</fieldset>
${input.problem ? html`<p class="error" role="alert">${input.problem}</p>` : ""}
${
  anyoneCanJoin
    ? html`<div class="actions">
<button type="submit">Accept Invite</button>
</div>`
    : html`<p class="muted">Every emulated account is already a member of ${guild.name}.</p>`
}
</form>`,
  );
}

/** After accepting: no redirect, the developer goes back to the app on their own. */
export function joinedPage(account: Account, invited: InvitedGuild, alreadyMember: boolean): SafeHtml {
  const who = displayName(account);
  const { guild } = invited;
  return page(
    `${alreadyMember ? "Already a member of" : "Joined"} ${guild.name}`,
    html`${guildHeader(invited)}
<p class="success" role="status">${
      alreadyMember ? html`${who} is already a member of ${guild.name}.` : html`${who} joined ${guild.name}.`
    } Go back to the app and log in again.</p>`,
  );
}

/** Discord's wording for a code that leads nowhere. */
export function invalidInvitePage(): SafeHtml {
  return page(
    "Invite Invalid",
    html`<h1>Invite Invalid</h1>
<p class="muted">This invite may be expired, or you might not have permission to join.</p>`,
  );
}

/** A request the page cannot act on, such as a form that is not form-encoded. */
export function inviteErrorPage(message: string): SafeHtml {
  return page(
    "Invite error",
    html`<h1>Something went wrong</h1>
<p class="error" role="alert">${message}</p>`,
  );
}
