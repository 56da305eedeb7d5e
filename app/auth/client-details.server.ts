import { isIP } from "node:net";
import { getConfig } from "~/config.server";
import type { SessionClient } from "~/models/session.server";

/** What a session remembers of the browser that opened it. */
export function clientDetails(request: Request, trustProxyHops = getConfig().trustProxyHops): SessionClient {
  return { userAgent: request.headers.get("User-Agent"), ip: clientIp(request, trustProxyHops) };
}

/**
 * The client's address. Behind proxies (TRUST_PROXY hops), the one the outermost trusted
 * proxy appended to X-Forwarded-For: anything left of it is the client's own claim and
 * could be forged. Otherwise, and for a request with fewer entries than there are
 * proxies (it came around them), the address of the peer that connected, which
 * server/peer-address.cjs passes on (null when the app runs without it, which
 * app/startup.server.ts does not allow). IPv4 clients of a dual-stack socket or proxy
 * ("::ffff:1.2.3.4") are given as the IPv4 address they are.
 */
export function clientIp(request: Request, trustProxyHops: number): string | null {
  const hops = (request.headers.get("X-Forwarded-For") ?? "")
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);
  if (trustProxyHops === 0 || hops.length < trustProxyHops) return normalised(peerAddress(request));
  return normalised(hops[hops.length - trustProxyHops]);
}

/** Whether the request says it came through a proxy: with TRUST_PROXY 0, one nobody declared. */
export function arrivedThroughProxy(request: Request): boolean {
  return request.headers.has("X-Forwarded-For") || request.headers.has("Forwarded");
}

/**
 * Whether the request came straight from a program on this machine (the launcher, a
 * local health check, an operator's curl): over loopback, and through no proxy, whose
 * clients would all connect from its address.
 */
export function isFromThisMachine(request: Request): boolean {
  if (arrivedThroughProxy(request)) return false;
  const peer = normalised(peerAddress(request));
  return peer !== null && (peer === "::1" || /^127\./.test(peer));
}

const PEER_ADDRESS_HEADER = Symbol.for("remix-discord-login.peer-address-header");

function peerAddress(request: Request): string | undefined {
  const headerName = (globalThis as Record<symbol, unknown>)[PEER_ADDRESS_HEADER];
  return typeof headerName === "string" ? (request.headers.get(headerName) ?? undefined) : undefined;
}

function normalised(address: string | undefined): string | null {
  if (!address) return null;
  const unmapped = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");
  return isIP(unmapped) ? unmapped : null;
}

/**
 * The part of an address that identifies one client for rate limits: the whole IPv4
 * address, or the /64 network of an IPv6 one (a single host is given a whole /64, and
 * could otherwise take a fresh address for every request).
 */
export function clientKey(address: string): string {
  if (isIP(address) !== 6) return address;
  const [head = "", tail] = address.toLowerCase().split("::");
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  const missing = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(missing).fill("0"), ...tailGroups];
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}
