/** Where people land after logging in when nothing else was asked for. */
export const DEFAULT_RETURN_TO = "/dashboard";

const MAX_LENGTH = 2048;
// Paths that make no sense to come back to: they would restart or undo the login.
const EXCLUDED_PREFIXES = ["/auth/", "/logout", "/login", "/revoke"];

/**
 * A `returnTo` value made safe: a path on this site, or the default. Refuses everything
 * a browser could read as another origin: `//evil.example`, `/\evil.example`,
 * `https://evil.example`, tab- or newline-smuggled variants, encoded schemes.
 */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_LENGTH) return DEFAULT_RETURN_TO;
  // Browsers treat "\" as "/" and drop tabs and newlines inside URLs, so any of them
  // can turn a harmless-looking path into a protocol-relative URL.
  // Encoded slashes and backslashes have no use in this app's paths and only serve tricks.
  if (!value.startsWith("/") || hasControlCharacter(value) || /[\\]|%2f|%5c/i.test(value)) return DEFAULT_RETURN_TO;
  const base = "http://return-to.invalid";
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return DEFAULT_RETURN_TO;
  }
  if (url.origin !== base) return DEFAULT_RETURN_TO;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Checked after normalisation too: "/.//evil.example" resolves to "//evil.example".
  if (path.startsWith("//")) return DEFAULT_RETURN_TO;
  // Compared as the router matches paths: decoded and case-insensitive.
  const routed = decodedLowerCase(url.pathname);
  if (EXCLUDED_PREFIXES.some((prefix) => routed === prefix.replace(/\/$/, "") || routed.startsWith(prefix))) {
    return DEFAULT_RETURN_TO;
  }
  return path;
}

function decodedLowerCase(pathname: string): string {
  try {
    return decodeURIComponent(pathname).toLowerCase();
  } catch {
    return pathname.toLowerCase(); // malformed escapes: compared as they are
  }
}

function hasControlCharacter(value: string): boolean {
  return [...value].some((char) => char <= "\u001f" || char === "\u007f");
}
