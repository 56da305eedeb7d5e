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
    ...baselineSecurityHeaders(config),
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
  };
}

/** For every response, HTML or not. */
export function baselineSecurityHeaders(config: Config): Record<string, string> {
  return {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    // Only over https: a browser that saw this keeps to https for a year.
    ...(config.secureCookies ? { "Strict-Transport-Security": "max-age=31536000" } : {}),
  };
}
