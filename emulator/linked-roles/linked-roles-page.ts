import { type SafeHtml, html } from "../http/html";
import { page } from "../oauth/page-layout";
import type { Account } from "../state/accounts";
import type { MetadataRecord, MetadataType, RoleConnection } from "../state/role-connections";

/** What a server's role requirement compares, in the words of Discord's role settings. */
const REQUIREMENT: Record<MetadataType, string> = {
  1: "at most the server's number",
  2: "at least the server's number",
  3: "equal to the server's number",
  4: "not equal to the server's number",
  5: "at least the server's number of days ago",
  6: "within the server's number of days",
  7: "true (1)",
  8: "false (0)",
};

function connectionItem(account: Account | undefined, connection: RoleConnection, records: readonly MetadataRecord[]) {
  const name = account ? `@${account.username}` : "a deleted account";
  return html`<li><strong>${name}</strong> <span class="handle">${connection.platformName ?? ""} ${connection.platformUsername ?? ""}</span>
<ul>${
    Object.keys(connection.metadata).length === 0
      ? html`<li class="muted">No values (the connection says nothing of them).</li>`
      : records
          .filter((record) => connection.metadata[record.key] !== undefined)
          .map((record) => html`<li>${record.name}: <code>${connection.metadata[record.key]}</code></li>`)
  }</ul></li>`;
}

/**
 * Discord's Linked Roles as a server's role settings see an application: the requirements
 * its metadata offers, and what it said of each person who connected. Values are escaped.
 */
export function linkedRolesPage(
  applicationName: string,
  records: readonly MetadataRecord[],
  connections: readonly { account: Account | undefined; connection: RoleConnection }[],
): SafeHtml {
  return page(
    `Linked Roles · Discord emulator`,
    html`<h1>Linked Roles: ${applicationName}</h1>
<h2>Requirements a role can set</h2>
${
  records.length === 0
    ? html`<p class="muted">None: the application has registered no role-connection metadata.</p>`
    : html`<ul>${records.map(
        (record) =>
          html`<li><strong>${record.name}</strong> (<code>${record.key}</code>): ${record.description}. The person's value must be ${REQUIREMENT[record.type]}.</li>`,
      )}</ul>`
}
<h2>Connected accounts</h2>
${
  connections.length === 0
    ? html`<p class="muted">Nobody has connected yet.</p>`
    : html`<ul>${connections.map(({ account, connection }) => connectionItem(account, connection, records))}</ul>`
}`,
  );
}
