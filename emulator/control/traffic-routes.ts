import type { AppContext } from "../app-context";
import type { Router } from "../http/router";
import { sendJson } from "../http/respond";
import { readJsonBody } from "./control-json";
import { faultSchema, rateLimitSchema } from "./control-schemas";

/** A 429 fault without retry_after tells the client to wait one second. */
const DEFAULT_RETRY_AFTER_SECONDS = 1;

/** Faults and rate limits aimed at the Discord-facing routes. */
export function registerTrafficRoutes(router: Router, context: AppContext): void {
  router.on("POST", "/_emulator/faults", async ({ req, res }) => {
    const fault = await readJsonBody(req, faultSchema);
    const status = fault.status ?? (fault.retry_after !== undefined ? 429 : fault.body !== undefined ? 200 : null);
    const effect = {
      status,
      retryAfterSeconds: fault.retry_after ?? DEFAULT_RETRY_AFTER_SECONDS,
      delayMs: fault.delay_ms ?? 0,
      body: fault.body,
    };
    context.state.faults.add(fault.route, effect, fault.count);
    sendJson(res, 201, {
      route: fault.route,
      count: fault.count,
      status,
      retry_after: status === 429 ? effect.retryAfterSeconds : null,
      delay_ms: effect.delayMs,
    });
  });

  router.on("DELETE", "/_emulator/faults", ({ res }) => {
    context.state.faults.clear();
    sendJson(res, 200, { cleared: true });
  });

  router.on("POST", "/_emulator/rate-limits", async ({ req, res }) => {
    const rule = await readJsonBody(req, rateLimitSchema);
    context.state.rateLimits.setRule(rule.route, { limit: rule.limit, windowSeconds: rule.window_seconds });
    sendJson(res, 201, rule);
  });

  router.on("DELETE", "/_emulator/rate-limits", ({ res }) => {
    context.state.rateLimits.clear();
    sendJson(res, 200, { cleared: true });
  });
}
