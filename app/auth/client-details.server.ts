import { isIP } from "node:net";
import { getConfig } from "~/config.server";
import type { SessionClient } from "~/models/session.server";

/**
 * What a session remembers of the browser that opened it. remix-serve gives the app no
 * socket address, so the IP comes from X-Forwarded-For, and only when the operator said
 * how many proxies append to it (TRUST_PROXY): anything left of those is the client's
 * own claim and could be forged.
 */
export function clientDetails(request: Request, trustProxyHops = getConfig().trustProxyHops): SessionClient {
  return { userAgent: request.headers.get("User-Agent"), ip: clientIp(request, trustProxyHops) };
}

export function clientIp(request: Request, trustProxyHops: number): string | null {
  if (trustProxyHops === 0) return null;
  const hops = (request.headers.get("X-Forwarded-For") ?? "")
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);
  const candidate = hops[hops.length - trustProxyHops];
  return candidate && isIP(candidate) ? candidate : null;
}
