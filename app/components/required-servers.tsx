import type { RequiredServer } from "~/access/required-servers.server";

/** The servers the access rules require, with their icons when known. */
export function RequiredServers({ servers }: { servers: RequiredServer[] }) {
  return (
    <ul className="required-servers">
      {servers.map((server) => (
        <li key={server.id} className="required-server">
          {server.iconUrl ? (
            <img src={server.iconUrl} alt="" width={40} height={40} className="server-icon small" />
          ) : (
            <span className="server-icon small initials" aria-hidden="true">
              #
            </span>
          )}
          <span>
            <strong>{server.name ?? "A Discord server"}</strong>
            {server.name ? null : (
              <>
                {" "}
                <span className="muted">(id {server.id})</span>
              </>
            )}
          </span>
        </li>
      ))}
    </ul>
  );
}
