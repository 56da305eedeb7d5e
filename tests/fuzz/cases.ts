import type { AppRoute } from "../support/app-routes";

// The dimensions of the generated bad-input matrix (docs/bad-input.md). Every value of
// every dimension is sent; the passes below say which dimensions are crossed in full.

export const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
export const BODY_METHODS = ["POST", "PUT", "PATCH", "DELETE"] as const;
export type Method = (typeof METHODS)[number];

export const AUTHS = ["signed-out", "signed-in", "tampered-cookie"] as const;
export type Auth = (typeof AUTHS)[number];

export const ORIGINS = ["same-site", "cross-site", "absent"] as const;
export type OriginKind = (typeof ORIGINS)[number];

/** Content-Type header values; null sends none. */
export const CONTENT_TYPES = {
  form: "application/x-www-form-urlencoded",
  json: "application/json",
  text: "text/plain; charset=utf-8",
  octets: "application/octet-stream",
  multipart: "multipart/form-data; boundary=fuzz",
  absent: null,
  "malformed-form": 'application/x-www-form-urlencoded; charset="unterminated',
  malformed: ";;=/",
} as const satisfies Record<string, string | null>;
export type ContentTypeKind = keyof typeof CONTENT_TYPES;

/**
 * Body size limits of the app (app/utils/read-form.server.ts: forms; the webhook route):
 * each is sent exactly at the limit and one byte over.
 */
export const BODY_LIMITS = [16 * 1024, 64 * 1024] as const;

export const BODIES = [
  "empty",
  "small",
  "nul-bytes",
  "non-utf8",
  ...BODY_LIMITS.flatMap((limit) => [`at-${limit}`, `over-${limit}`] as const),
  "chunked-small",
  `chunked-over-${BODY_LIMITS[1]}`,
] as const;
export type BodyKind = (typeof BODIES)[number];

export const QUERIES = {
  none: "",
  repeated: "?returnTo=%2Fdashboard&returnTo=%2F%2Fevil.example&state=a&state=b&code=c&code=d&error=x&error=y",
  "bad-percent": "?returnTo=%E0%A4%A&state=%zz&code=%&error=%00%FF",
  // Under Node's 16 KiB header limit (over it, Node answers 431 before the app: docs/bad-input.md B5).
  long: `?returnTo=%2F${"a".repeat(12_000)}&code=${"c".repeat(600)}&state=${"s".repeat(600)}`,
} as const;
export type QueryKind = keyof typeof QUERIES;

/**
 * Values that change size or shape when normalised or encoded (finding a returnTo that
 * grew past a cookie's 4 KB once percent-encoded took a person; this takes a loop). Each
 * is sent, in the shapes pass, in every form field, query parameter and header that ends
 * up in a cookie, a redirect or a log line. Percent-encoded, each is past 4 KB.
 */
export const SHAPES = {
  /** U+3000: 3 bytes in UTF-8, 9 characters percent-encoded. */
  "wide characters": `/${"\u3000".repeat(600)}`,
  /** Outside the BMP: two UTF-16 units, 4 bytes, 12 characters encoded. */
  "astral characters": `/${"\u{1F600}".repeat(400)}`,
  /** One letter under a pile of combining accents: NFC leaves it long. */
  "combining marks": `/a${"\u0301".repeat(700)}`,
  /** İ lower-cases to two characters (i and a combining dot). */
  "case-folding growth": `/${"\u0130".repeat(700)}`,
  /** ﬃ: one character that NFKC makes three. */
  ligatures: `/${"\uFB03".repeat(700)}`,
  /** Full-width ／ and ．, which NFKC turns into / and .: a path to another host, if anything folds them. */
  "full-width slashes and dots": `/\uFF0F\uFF0Fevil.example/${"\uFF0E".repeat(500)}`,
  /** Percent signs, which every round of encoding makes three times longer. */
  "percent signs": `/${"%25".repeat(1500)}`,
  /** Already percent-encoded wide characters: decoded, a third as long; encoded again, five thirds. */
  "percent-encoded wide characters": `/${"%E3%80%80".repeat(500)}`,
  /** A long run of one plain letter. */
  "a long run": `/${"a".repeat(5000)}`,
} as const;
export type ShapeKind = keyof typeof SHAPES;

export interface FuzzCase {
  pass: "headers" | "bodies" | "queries" | "shapes";
  route: AppRoute;
  method: Method;
  auth: Auth;
  origin: OriginKind;
  contentType: ContentTypeKind;
  body: BodyKind;
  query: QueryKind;
  /** In the shapes pass: the value sent in every field, parameter and header. */
  shape?: ShapeKind;
}

/** A path no route answers, so the 404 page is in the matrix too. */
export const UNKNOWN_ROUTE: AppRoute = { path: "/no/such/page", file: "(none)", hasAction: false };

/**
 * The whole matrix, in four passes:
 * - headers: route × method × auth × Origin × Content-Type, with a small body of that type;
 * - bodies: route × body method × signed in or out × Content-Type × body, from this site
 *   (the Origin that reaches furthest into an action); a route's single-fetch data URL runs
 *   the same action on the same body, so it is left out of this pass;
 * - queries: route × method × auth × hostile query string;
 * - shapes: route × GET or POST × signed in or out × a value that changes size or shape
 *   when normalised, in every query parameter, form field and header at once, from this
 *   site (run last, so the log lines they cause are the freshest).
 */
export function* fuzzCases(routes: readonly AppRoute[]): Generator<FuzzCase> {
  const base = { origin: "same-site", contentType: "form", body: "small", query: "none" } as const;
  for (const route of routes) {
    for (const method of METHODS)
      for (const auth of AUTHS)
        for (const origin of ORIGINS)
          for (const contentType of Object.keys(CONTENT_TYPES) as ContentTypeKind[])
            yield { ...base, pass: "headers", route, method, auth, origin, contentType };
    if (!route.path.endsWith(".data"))
      for (const method of BODY_METHODS)
        for (const auth of ["signed-out", "signed-in"] as const)
          for (const contentType of Object.keys(CONTENT_TYPES) as ContentTypeKind[])
            for (const body of BODIES) yield { ...base, pass: "bodies", route, method, auth, contentType, body };
    for (const method of METHODS)
      for (const auth of AUTHS)
        for (const query of Object.keys(QUERIES) as QueryKind[])
          yield { ...base, pass: "queries", route, method, auth, query };
  }
  for (const route of routes)
    for (const method of ["GET", "POST"] as const)
      for (const auth of ["signed-out", "signed-in"] as const)
        for (const shape of Object.keys(SHAPES) as ShapeKind[])
          yield { ...base, pass: "shapes", route, method, auth, shape };
}

export function describeCase(c: FuzzCase): string {
  const query = c.shape ? ` ?${c.shape}` : c.query === "none" ? "" : ` ?${c.query}`;
  const body = c.shape ? `${c.shape} in every field and header` : c.body;
  return `${c.method} ${c.route.path}${query} [${c.auth}, Origin ${c.origin}, ${c.contentType}, ${body}]`;
}

/** Routes whose actions act only on a signature (Discord's): nothing the fuzz sends may change state there. */
const SIGNED_ONLY = new Set(["/webhooks/discord"]);

/**
 * Whether this request may legitimately change state: a POST to an action, not refused as
 * cross-site (a request carrying the session cookie must say it comes from this site).
 * Every other request must leave the database and the session exactly as they were.
 */
export function mayChangeState(c: FuzzCase): boolean {
  if (c.method !== "POST" || !c.route.hasAction || SIGNED_ONLY.has(c.route.path)) return false;
  if (c.origin === "cross-site") return false;
  return !(c.origin === "absent" && c.auth !== "signed-out");
}
