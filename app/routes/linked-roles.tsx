import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireAccountAction } from "~/auth/account-action.server";
import { redirectWithNotice } from "~/auth/notice.server";
import { loginAgainIfGrantLost, requireUser } from "~/auth/session.server";
import {
  LINKED_ROLES_SCOPE,
  ROLE_CONNECTION_METADATA,
  lastSent,
  roleConnectionOf,
  syncRoleConnection,
} from "~/community/linked-roles.server";
import { AccountNav } from "~/components/account-nav";
import { AskForAccess } from "~/components/ask-for-access";
import { PostButton } from "~/components/post-button";
import { getConfig } from "~/config.server";
import { getDb } from "~/db/db.server";
import { getAccessToken } from "~/discord/access-token.server";
import { discordAccess } from "~/discord/discord-access.server";
import { requireGrantedScopes } from "~/discord/grant.server";
import { SITE_NAME } from "~/site";

export const meta: MetaFunction = () => [{ title: `Linked Roles · ${SITE_NAME}` }];

/**
 * Discord's "Linked Roles Verification URL" (Developer Portal, General Information): Discord
 * sends people here to connect their account, so that servers can give roles by what this
 * site says of them. Off unless LINKED_ROLES is set.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  if (!getConfig().linkedRoles) throw new Response("Not Found", { status: 404 });
  const { user } = await requireUser(request);
  const granted = await loginAgainIfGrantLost(request, () => requireGrantedScopes(getDb(), user.id));
  const connection = roleConnectionOf(user);
  const sent = await lastSent(getDb(), user.id);
  return {
    connected: granted.includes(LINKED_ROLES_SCOPE),
    upToDate: sent === JSON.stringify(connection),
    details: ROLE_CONNECTION_METADATA.map((record) => ({
      name: record.name,
      description: record.description,
      value: describeValue(record.key, connection.metadata[record.key]),
    })),
  };
}

/** "Send again": the person's details, sent to Discord now, whatever was sent before. */
export async function action({ request }: ActionFunctionArgs) {
  if (!getConfig().linkedRoles) throw new Response("Not Found", { status: 404 });
  const { user } = await requireAccountAction(request);
  const accessToken = await loginAgainIfGrantLost(request, () => getAccessToken(discordAccess(), user.id));
  const outcome = await syncRoleConnection(getDb(), getConfig().discord, user, accessToken, { force: true });
  return redirectWithNotice(
    "/linked-roles",
    outcome === "sent" || outcome === "unchanged"
      ? { kind: "success", message: "Sent: Discord's Linked Roles now see these details." }
      : { kind: "error", message: "Discord did not take your details just now. Please try again in a moment." },
  );
}

function describeValue(key: string, value: string): string {
  if (key === "member_since") return `since ${value.slice(0, 10)}`;
  return value === "1" ? "yes" : "no";
}

export default function LinkedRoles() {
  const { connected, upToDate, details } = useLoaderData<typeof loader>();
  return (
    <>
      <AccountNav />
      <h1>Linked Roles</h1>
      <p>Discord servers can give roles to people by what {SITE_NAME} says of them. These are the details it shares:</p>
      <dl className="linked-roles">
        {details.map((detail) => (
          <div key={detail.name}>
            <dt>{detail.name}</dt>
            <dd>
              {detail.value} <span className="muted">({detail.description})</span>
            </dd>
          </div>
        ))}
      </dl>
      {connected ? (
        <section className="card" aria-labelledby="linked-roles-status">
          <h2 id="linked-roles-status">{upToDate ? "Connected" : "Not sent yet"}</h2>
          <p>
            {upToDate
              ? "Discord has these details. When they change, send them again."
              : "Discord does not have these details yet."}
          </p>
          <PostButton action="/linked-roles" className="button secondary" pendingLabel="Sending…">
            Send again
          </PostButton>
        </section>
      ) : (
        <AskForAccess
          feature="linked_roles"
          returnTo="/linked-roles"
          title="Connect for Linked Roles"
          action="Connect for Linked Roles"
        >
          <p>Discord will ask you to let {SITE_NAME} update your connection details for Linked Roles.</p>
        </AskForAccess>
      )}
    </>
  );
}
