import type { ServerView } from "~/presenters/server-view";

const count = new Intl.NumberFormat("en");

export function ServerList({ servers }: { servers: ServerView[] }) {
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
          </li>
        ))}
      </ul>
    </>
  );
}
