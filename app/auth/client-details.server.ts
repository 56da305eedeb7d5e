import { BlockList, isIP } from "node:net";
import { getConfig } from "~/config.server";
import type { SessionClient } from "~/models/session.server";

/** What a session remembers of the browser that opened it. */
export function clientDetails(request: Request, trustProxyHops = getConfig().trustProxyHops): SessionClient {
  return { userAgent: request.headers.get("User-Agent"), ip: clientIp(request, trustProxyHops) };
}

/**
 * The client's address. Behind proxies (TRUST_PROXY hops), the one the outermost trusted
 * proxy appended to X-Forwarded-For: anything left of it is the client's own claim and
 * could be forged. Otherwise the address of the peer that connected, which
 * server/peer-address.cjs passes on (null when the app runs without it).
 */
export function clientIp(request: Request, trustProxyHops: number): string | null {
  if (trustProxyHops === 0) return peerAddress(request);
  const hops = (request.headers.get("X-Forwarded-For") ?? "")
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);
  const candidate = hops[hops.length - trustProxyHops];
  return candidate && isIP(candidate) ? candidate : null;
}

const PEER_ADDRESS_HEADER = Symbol.for("remix-discord-login.peer-address-header");

function peerAddress(request: Request): string | null {
  const headerName = (globalThis as Record<symbol, unknown>)[PEER_ADDRESS_HEADER];
  if (typeof headerName !== "string") return null;
  const address = request.headers.get(headerName)?.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
  return address && isIP(address) ? address : null;
}

const PRIVATE_NETWORKS = new BlockList();
for (const [network, prefix] of [
  ["10.0.0.0", 8],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["100.64.0.0", 10], // carrier-grade NAT
] as const) {
  PRIVATE_NETWORKS.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
] as const) {
  PRIVATE_NETWORKS.addSubnet(network, prefix, "ipv6");
}

/** Loopback, private, link-local or CGNAT: the address of a proxy more often than of a person. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  return family !== 0 && PRIVATE_NETWORKS.check(address, family === 4 ? "ipv4" : "ipv6");
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
