/** Where people land after logging in when nothing else was asked for. */
export const DEFAULT_RETURN_TO = "/dashboard";

/**
 * Bound on the path kept, measured after normalisation: the URL parser percent-encodes
 * what it cannot keep as it is, which grows a path of wide characters up to nine times.
 * What is stored is bounded, not what was sent; at this length the login cookie that
 * carries it stays well under the 4096 bytes a browser keeps (auth/cookies.server.ts).
 */
export const MAX_RETURN_TO_LENGTH = 1024;
// Paths that make no sense to come back to: they would restart or undo the login.
const EXCLUDED_PREFIXES = ["/auth/", "/logout", "/login", "/revoke"];

/**
 * A `returnTo` value made safe: a path on this site, or the default. Refuses everything
 * a browser could read as another origin: `//evil.example`, `/\evil.example`,
 * `https://evil.example`, tab- or newline-smuggled variants, encoded schemes.
 */
export function safeReturnTo(value: unknown): string {
  // Normalisation never shortens a path by much (only "." and ".." segments go), so a
  // value already over the bound is refused before it is parsed.
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_RETURN_TO_LENGTH) return DEFAULT_RETURN_TO;
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
  if (path.length > MAX_RETURN_TO_LENGTH) return DEFAULT_RETURN_TO;
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
