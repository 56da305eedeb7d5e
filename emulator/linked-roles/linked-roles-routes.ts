import { APPLICATION_NAME, type AppContext } from "../app-context";
import type { Router } from "../http/router";
import { sendHtml, sendJson } from "../http/respond";
import { byAddress, guarded } from "../traffic/guarded-route";
import { linkedRolesPage } from "./linked-roles-page";

/**
 * What Discord shows of an application's Linked Roles, for a developer to look at
 * (GET /linked-roles), and the same as JSON for tests (GET /_emulator/role-connections).
 */
export function registerLinkedRolesRoutes(router: Router, context: AppContext): void {
  const connected = () =>
    context.state.roleConnections.all().map(([accountId, connection]) => ({
      account: context.state.accounts.get(accountId),
      accountId,
      connection,
    }));

  router.on(
    "GET",
    "/linked-roles",
    guarded(context, "linked_roles_page", byAddress, ({ res }) => {
      sendHtml(res, 200, linkedRolesPage(APPLICATION_NAME, context.state.roleConnections.metadata(), connected()));
    }),
  );

  router.on("GET", "/_emulator/role-connections", ({ res }) => {
    sendJson(res, 200, {
      metadata: context.state.roleConnections.metadata(),
      connections: connected().map(({ accountId, connection }) => ({
        account_id: accountId,
        platform_name: connection.platformName,
        platform_username: connection.platformUsername,
        metadata: connection.metadata,
        updated_at: new Date(connection.updatedAt).toISOString(),
      })),
    });
  });
}
