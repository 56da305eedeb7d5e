import type { IncomingMessage } from "node:http";

export const CONTROL_PREFIX = "/_emulator";

/**
 * Why a request to the control API is refused, or null when it may go on. The control API
 * hands out raw tokens and changes every account, so only programs on this machine may
 * use it: a browser page elsewhere (it sends an Origin, even with a simple text/plain POST)
 * and a name rebound to this address (DNS rebinding: its Host is not a loopback name) are
 * both refused. Discord's own routes are not affected.
 */
export function controlRefusal(req: IncomingMessage): string | null {
  if (req.headers.origin !== undefined) {
    return "The control API does not answer web pages (the request carried an Origin).";
  }
  if (!isLoopbackHost(req.headers.host)) {
    return "The control API only answers requests addressed to this machine (localhost, 127.0.0.1 or [::1]).";
  }
  return null;
}

function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = host.replace(/:\d+$/, "").toLowerCase();
  return name === "localhost" || name === "[::1]" || /^127(\.\d{1,3}){3}$/.test(name);
}
