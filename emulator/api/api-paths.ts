import type { AppContext } from "../app-context";
import type { IncomingRequest, Router } from "../http/router";
import { byBearerToken, guarded } from "../traffic/guarded-route";
import type { RouteKey } from "../traffic/route-keys";

/** Discord serves the API under /api/v10 and, unversioned, under /api: both paths of a route. */
export const apiPaths = (path: string): string[] => [`/api/v10${path}`, `/api${path}`];

/**
 * How the API's routes are registered: both paths, counted and faulted as `route`, limited
 * per bearer token (traffic/guarded-route.ts).
 */
export function apiRoutesOn(router: Router, context: AppContext) {
  return (method: string, path: string, route: RouteKey, handler: (request: IncomingRequest) => Promise<void> | void) =>
    router.on(method, apiPaths(path), guarded(context, route, byBearerToken, handler));
}
