// Set-Cookie lines read as a browser reads them, for tests that carry cookies by hand.

export interface SetCookie {
  name: string;
  value: string;
  /** "name=value", as a Cookie header sends it back. */
  pair: string;
  /** Whether the line deletes the cookie: Max-Age zero or less, or an Expires already past. */
  expired: boolean;
}

export function parseSetCookie(line: string, now = Date.now()): SetCookie {
  const [pair = "", ...attributes] = line.split(";").map((part) => part.trim());
  const equals = pair.indexOf("=");
  const expired = attributes.some(
    (attribute) =>
      /^max-age=(0|-\d+)$/i.test(attribute) || (/^expires=/i.test(attribute) && Date.parse(attribute.slice(8)) <= now),
  );
  return { name: pair.slice(0, equals), value: pair.slice(equals + 1), pair, expired };
}

/** "name=value" of the first cookie a response sets; throws when it sets none. */
export function firstCookie(response: Response): string {
  const line = response.headers.getSetCookie()[0];
  if (!line) throw new Error(`no cookie set by ${response.url || "the response"}`);
  return parseSetCookie(line).pair;
}

/** The names of the cookies a response sets (or deletes), in order. */
export function cookieNames(headers: Headers): string[] {
  return headers.getSetCookie().map((line) => parseSetCookie(line).name);
}
