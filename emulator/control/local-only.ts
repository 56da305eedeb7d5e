import type { IncomingMessage } from "node:http";

export const CONTROL_PREFIX = "/_emulator";

/**
 * Why a request to the control API is refused, or null when it may go on. The control API
 * hands out raw tokens and changes every account, so only programs on this machine may
 * use it, whatever address the emulator listens on (EMULATOR_HOST=0.0.0.0 included):
 * - the connection must come from this machine (a loopback address): the one thing about
 *   a request its sender cannot choose;
 * - a browser page (it sends an Origin, even with a simple text/plain POST) is refused,
 *   and so is a name rebound to this address (DNS rebinding: a page on this machine whose
 *   Host is not a loopback name, which a same-origin GET sends without an Origin).
 * Discord's own routes are not affected.
 */
export function controlRefusal(req: Pick<IncomingMessage, "headers" | "socket">): string | null {
  const peer = req.socket.remoteAddress;
  if (!isLoopbackAddress(peer)) {
    return `The control API only answers programs on this machine (this request came from ${peer ?? "an unknown address"}).`;
  }
  if (req.headers.origin !== undefined) {
    return "The control API does not answer web pages (the request carried an Origin).";
  }
  if (!isLoopbackHost(req.headers.host)) {
    return "The control API only answers requests addressed to this machine (localhost, 127.0.0.1 or [::1]).";
  }
  return null;
}

function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const ipv4 = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");
  return ipv4 === "::1" || /^127(\.\d{1,3}){3}$/.test(ipv4);
}

function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = host.replace(/:\d+$/, "").toLowerCase();
  return name === "localhost" || name === "[::1]" || /^127(\.\d{1,3}){3}$/.test(name);
}
