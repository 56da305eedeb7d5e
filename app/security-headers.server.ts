import type { Config } from "~/config.server";

/**
 * Headers for every HTML page. Scripts run only with this response's nonce (Remix's own
 * inline scripts carry it; 'strict-dynamic' lets them load the bundles), so injected
 * markup cannot run script. Nothing may frame the app (its one-click Revoke button),
 * forms may only go to the app and to Discord (the login redirect), and referrers never
 * leave the site (URLs such as /login?returnTo=… stay private).
 */
export function documentSecurityHeaders(config: Config, nonce: string): Record<string, string> {
  const policy = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    "style-src 'self'",
    `img-src 'self' data: ${config.discord.cdnUrl}`,
    "connect-src 'self'",
    `form-action 'self' ${config.discord.baseUrl}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join("; ");
  return {
    "Content-Security-Policy": policy,
    ...baselineSecurityHeaders(),
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
  };
}

/**
 * For every response, HTML or not. (Strict-Transport-Security is not among them: over
 * https it goes on every answer, static files and redirects included, from
 * server/strict-transport.cjs.)
 */
export function baselineSecurityHeaders(): Record<string, string> {
  return {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
  };
}
