import type { AppContext } from "../app-context";
import { invalidFormBody } from "../discord/errors";
import type { IncomingRequest, Router } from "../http/router";
import { sendJson } from "../http/respond";
import { byBearerToken, guarded } from "../traffic/guarded-route";
import type { RouteKey } from "../traffic/route-keys";
import { applicationJson } from "./application-json";
import { authorize } from "./bearer-auth";
import { guildPage } from "./guild-json";
import { parseGuildsQuery } from "./guilds-query";
import { currentUserJson, publicUserJson } from "./user-json";

/** Discord serves the API under /api/v10 and, unversioned, under /api. */
const apiPaths = (path: string) => [`/api/v10${path}`, `/api${path}`];

export function registerApiRoutes(router: Router, context: AppContext): void {
  const get = (path: string, route: RouteKey, handler: (request: IncomingRequest) => void) =>
    router.on("GET", apiPaths(path), guarded(context, route, byBearerToken, handler));

  get("/users/@me", "users_me", (request) => {
    const authorized = authorize(context, request, "identify");
    if (!authorized) return;
    const { token, account } = authorized;
    sendJson(request.res, 200, currentUserJson(account, token.scopes.includes("email")));
  });

  get("/users/@me/guilds", "guilds", (request) => {
    const authorized = authorize(context, request, "guilds");
    if (!authorized) return;
    const parsed = parseGuildsQuery(request.url.searchParams);
    if ("errors" in parsed) return sendJson(request.res, 400, invalidFormBody(parsed.errors));
    const memberships = context.state.guilds.membershipsOf(authorized.account.id);
    sendJson(request.res, 200, guildPage(memberships, parsed.query));
  });

  /** Any valid token may read its own authorization; the user appears only with identify. */
  get("/oauth2/@me", "oauth2_me", (request) => {
    const authorized = authorize(context, request);
    if (!authorized) return;
    const { token, account } = authorized;
    sendJson(request.res, 200, {
      application: applicationJson(context),
      scopes: token.scopes,
      expires: new Date(token.expiresAt ?? Date.now()).toISOString(),
      ...(token.scopes.includes("identify") ? { user: publicUserJson(account) } : {}),
    });
  });
}
