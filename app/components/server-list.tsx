import { Link } from "@remix-run/react";
import type { ServerView } from "~/presenters/server-view";
import { PostButton } from "./post-button";

const count = new Intl.NumberFormat("en");

export function ServerList({ servers, dashboard = false }: { servers: ServerView[]; dashboard?: boolean }) {
  if (servers.length === 0) return <p className="muted">You are not in any server yet.</p>;
  return (
    <>
      <p className="muted">
        {servers.length} {servers.length === 1 ? "server" : "servers"}
      </p>
      <ul className="server-list">
        {servers.map((server) => (
          <li key={server.id} className="server">
            {server.iconUrl ? (
              <img src={server.iconUrl} alt="" width={48} height={48} className="server-icon" loading="lazy" />
            ) : (
              <span className="server-icon initials" aria-hidden="true">
                {server.initials}
              </span>
            )}
            <div className="server-body">
              <h2 className="server-name">
                {server.name}
                {server.required ? <span className="badge info">Required to sign in</span> : null}
                {server.owner ? <span className="badge success">Owner</span> : null}
              </h2>
              {server.memberCount !== null ? (
                <p className="muted">
                  {count.format(server.memberCount)} members
                  {server.onlineCount !== null ? `, ${count.format(server.onlineCount)} online` : ""}
                </p>
              ) : null}
              {server.permissions.length > 0 ? <p className="permissions">{server.permissions.join(" · ")}</p> : null}
            </div>
            {dashboard && server.manages ? <BotActions server={server} /> : null}
          </li>
        ))}
      </ul>
    </>
  );
}

/** Where the person manages the server: its dashboard when the bot is there, else a way to add it. */
function BotActions({ server }: { server: ServerView }) {
  if (server.botPresent === false) {
    return (
      <div className="server-actions">
        <PostButton action={`/servers/${server.id}/add-bot`} className="button" pendingLabel="Opening Discord…">
          Add the bot<span className="visually-hidden"> to {server.name}</span>
        </PostButton>
      </div>
    );
  }
  return (
    <div className="server-actions">
      {server.botPresent ? <span className="badge success">Bot present</span> : null}
      <Link to={`/servers/${server.id}`} className="button secondary">
        Settings<span className="visually-hidden"> of {server.name}</span>
      </Link>
    </div>
  );
}
