import type { Agent, IncomingHttpHeaders } from "node:http";
import {
  BODY_LIMITS,
  CONTENT_TYPES,
  QUERIES,
  SHAPES,
  UNKNOWN_ROUTE,
  type BodyKind,
  type ContentTypeKind,
  type FuzzCase,
  type ShapeKind,
} from "./cases";
import { sendExactly } from "../support/exact-request";

/** How long any answer may take before the case fails as unanswered. */
export const ANSWER_TIMEOUT_MS = 5_000;

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  ms: number;
}

export type Outcome = { ok: true; answer: Answer } | { ok: false; error: string; ms: number };

export interface Client {
  appUrl: string;
  /** "name=value" of a signed-in session cookie. */
  sessionCookie: string;
  agent: Agent;
}

/** A form that every action reads: valid and complete, so a legitimate request goes all the way. */
const SMALL_FORM = "intent=end-others&confirm=delete&returnTo=%2Fservers";

function smallBody(contentType: ContentTypeKind): Buffer {
  switch (contentType) {
    case "json":
      return Buffer.from(JSON.stringify({ intent: "end-others", confirm: "delete" }));
    case "multipart":
      return Buffer.from('--fuzz\r\nContent-Disposition: form-data; name="intent"\r\n\r\nend-others\r\n--fuzz--\r\n');
    case "octets":
      return Buffer.from([0xde, 0xad, 0xbe, 0xef]);
    default:
      return Buffer.from(SMALL_FORM);
  }
}

/** A form-shaped body of exactly `size` bytes, so one at a limit is still a valid form. */
function sizedBody(size: number): Buffer {
  return Buffer.from(`${SMALL_FORM}&pad=${"p".repeat(size - SMALL_FORM.length - 5)}`);
}

/** The bytes to send, and whether to send them chunked (no Content-Length). */
function bodyFor(kind: BodyKind, contentType: ContentTypeKind): { bytes: Buffer; chunked: boolean } {
  if (kind === "empty") return { bytes: Buffer.alloc(0), chunked: false };
  if (kind === "small") return { bytes: smallBody(contentType), chunked: false };
  if (kind === "nul-bytes") return { bytes: Buffer.from("intent=end\0others\0\0&confirm=\0delete"), chunked: false };
  if (kind === "non-utf8")
    return { bytes: Buffer.from([0x69, 0x3d, 0xff, 0xfe, 0xc3, 0x28, 0x80, 0x26]), chunked: false };
  if (kind === "chunked-small") return { bytes: smallBody(contentType), chunked: true };
  const [, where, size] = /^(at|over|chunked-over)-(\d+)$/.exec(kind)!;
  const limit = Number(size);
  if (!BODY_LIMITS.includes(limit)) throw new Error(`no such limit ${limit}`);
  return { bytes: sizedBody(where === "at" ? limit : limit + 1), chunked: where === "chunked-over" };
}

/** A session cookie whose signature no longer matches (one character of it changed). */
export function tamper(cookie: string): string {
  return cookie.replace(/.$/, (last) => (last === "A" ? "B" : "A"));
}

function headersFor(c: FuzzCase, client: Client): Record<string, string> {
  const headers: Record<string, string> = { "User-Agent": "bad-input-fuzz" };
  if (c.auth === "signed-in") headers.Cookie = client.sessionCookie;
  if (c.auth === "tampered-cookie") headers.Cookie = tamper(client.sessionCookie);
  if (c.origin === "same-site") headers.Origin = client.appUrl;
  if (c.origin === "cross-site") headers.Origin = "https://evil.example";
  const type = CONTENT_TYPES[c.contentType];
  if (type !== null) headers["Content-Type"] = type;
  return headers;
}

/** Header values stay well under Node's 16 KiB for a request's whole head, query included. */
const SHAPED_HEADER_BYTES = 1500;

/**
 * A shape in every place a client can put it that ends up in a cookie, a redirect or a
 * log line: the query parameters the app reads (returnTo whole, the others cut short), the
 * form fields, the headers it logs or stores (as raw UTF-8 bytes, cut anywhere), and for
 * the unknown route, the path itself.
 */
function shaped(c: FuzzCase, shape: ShapeKind): { path: string; body: Buffer; headers: Record<string, string> } {
  const value = SHAPES[shape];
  const short = [...value].slice(0, 100).join("");
  // The unknown route takes the shape in its path instead: both would not fit in 16 KiB.
  const inPath = c.route === UNKNOWN_ROUTE;
  const returnTo = inPath ? short : value;
  const query = new URLSearchParams({ returnTo, code: short, state: short, error: short, reason: short });
  const path = inPath ? `${c.route.path}${encodeURI(value)}` : c.route.path;
  const form = new URLSearchParams({ returnTo: value, sessionId: value, intent: "end", confirm: "delete" });
  const raw = Buffer.from(value).subarray(0, SHAPED_HEADER_BYTES).toString("latin1");
  return {
    path: `${path}?${query}`,
    body: c.method === "GET" ? Buffer.alloc(0) : Buffer.from(form.toString()),
    headers: { "User-Agent": raw, "X-Request-Id": raw, "X-Forwarded-For": raw },
  };
}

/** Sends one case over HTTP, exactly as built. */
export function send(c: FuzzCase, client: Client): Promise<Outcome> {
  const asShaped = c.shape ? shaped(c, c.shape) : null;
  const { bytes, chunked } = asShaped ? { bytes: asShaped.body, chunked: false } : bodyFor(c.body, c.contentType);
  const headers = { ...headersFor(c, client), ...asShaped?.headers };
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const path = asShaped?.path ?? `${c.route.path}${QUERIES[c.query]}`;
  return sendExactly(
    { url: client.appUrl, agent: client.agent },
    { method: c.method, path, headers, body: bytes, chunked },
    ANSWER_TIMEOUT_MS,
  ).then(
    (answer): Outcome => ({ ok: true, answer: { ...answer, ms: elapsed() } }),
    (error: Error): Outcome => ({ ok: false, error: error.message, ms: elapsed() }),
  );
}
