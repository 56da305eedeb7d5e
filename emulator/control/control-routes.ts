import type { AppContext } from "../app-context";
import type { Router } from "../http/router";
import { sendJson } from "../http/respond";
import { createSeededState } from "../state/emulator-state";
import { registerAccountRoutes } from "./account-routes";
import { registerGuildRoutes } from "./guild-routes";
import { registerMemberRoutes } from "./member-routes";
import { registerTrafficRoutes } from "./traffic-routes";

/**
 * The control API under /_emulator: JSON endpoints that tests and
 * developers use to shape and inspect the emulator. Discord has no such
 * routes; see docs/emulator.md.
 */
export function registerControlRoutes(router: Router, context: AppContext): void {
  registerAccountRoutes(router, context);
  registerGuildRoutes(router, context);
  registerMemberRoutes(router, context);
  registerTrafficRoutes(router, context);

  router.on("GET", "/_emulator/counters", ({ res }) => {
    sendJson(res, 200, context.state.counters.toJSON());
  });

  router.on("GET", "/_emulator/in-flight", ({ res }) => {
    sendJson(res, 200, context.state.counters.inFlightJson());
  });

  router.on("POST", "/_emulator/reset", ({ res }) => {
    context.state = createSeededState(context.config);
    sendJson(res, 200, { reset: true });
  });
}
