/**
 * Adds response parameters to the client's redirect URI, keeping any query
 * it already has (RFC 6749 §3.1.2) and leaving out absent values (no state).
 */
export function redirectUriWith(redirectUri: string, params: Readonly<Record<string, string | null>>): string {
  const target = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) {
    if (value !== null) target.searchParams.append(name, value);
  }
  return target.toString();
}
