import { setTimeout as sleep } from "node:timers/promises";
import type { AppContext } from "../app-context";
import { statusError } from "../discord/errors";
import type { IncomingRequest, RouteHandler } from "../http/router";
import { sendJson } from "../http/respond";
import { rateLimitedResponse, rateLimitHeaders } from "./rate-limit-headers";
import type { RouteKey } from "./route-keys";

/** Who a rate-limit bucket belongs to: a token, a client or an address. */
export type CallerOf = (request: IncomingRequest) => string;

/**
 * Wraps a Discord-facing handler with what the control API can inject:
 * queued faults (delay, error status, 429, malformed body) and rate limits. It also counts
 * every response by route and status, and stamps the rate-limit headers.
 */
export function guarded(context: AppContext, route: RouteKey, callerOf: CallerOf, handler: RouteHandler): RouteHandler {
  return async (request) => {
    // Bound to the state at arrival, so a reset mid-request cannot skew fresh counters.
    const { state } = context;
    const { res } = request;
    res.once("finish", () => state.counters.recordApiCall(route, res.statusCode));
    // "close" follows "finish", and also comes when the client goes away unanswered.
    state.counters.requestArrived(route);
    res.once("close", () => state.counters.requestLeft(route));

    const fault = state.faults.take(route);
    if (fault && fault.delayMs > 0) await sleep(fault.delayMs);

    const now = Date.now();
    const decision = state.rateLimits.consume(route, callerOf(request), now);
    for (const [name, value] of Object.entries(rateLimitHeaders(decision, now))) res.setHeader(name, value);

    if (fault?.status === 429) {
      const limited = rateLimitedResponse(fault.retryAfterSeconds, now);
      return sendJson(res, 429, limited.body, limited.headers);
    }
    if (fault?.body !== undefined) return sendJson(res, fault.status ?? 200, fault.body);
    if (fault?.status) return sendJson(res, fault.status, statusError(fault.status));
    if (!decision.allowed) {
      const limited = rateLimitedResponse((decision.resetAt - now) / 1000, now);
      return sendJson(res, 429, limited.body, limited.headers);
    }
    await handler(request);
  };
}

export const byBearerToken: CallerOf = ({ req }) => req.headers.authorization ?? "anonymous";
export const byAddress: CallerOf = ({ req }) => req.socket.remoteAddress ?? "unknown";
