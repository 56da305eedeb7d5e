import type { FuzzCase } from "./cases";
import type { Answer } from "./send";
import { parseSetCookie } from "../support/set-cookie";

/** How an answer looks from outside: its status and the shape of its body. */
export function answerShape(c: FuzzCase, answer: Answer): string {
  const type =
    String(answer.headers["content-type"] ?? "")
      .split(";")[0]!
      .trim() || "none";
  return `${answer.status} ${type}`;
}

/**
 * What is wrong with an answer, if anything: a server error, or a body that is neither one
 * of the app's HTML pages nor a JSON error (a bare text or stack trace, say).
 */
export function shapeProblem(c: FuzzCase, answer: Answer): string | null {
  if (answer.status >= 500) return `answered ${answer.status}`;
  if (answer.status >= 300 && answer.status < 400) {
    return answer.headers.location ? null : `a ${answer.status} without a Location`;
  }
  if (answer.status === 204 || answer.status === 304) return answer.body.length > 0 ? "a body on a 204" : null;
  const type = String(answer.headers["content-type"] ?? "");
  // HEAD answers carry the headers of the GET and no body.
  const body = c.method === "HEAD" ? null : answer.body.toString("utf8");
  if (type.startsWith("text/html")) {
    if (body !== null && !/^<!DOCTYPE html>/i.test(body)) return "HTML that is not a whole page";
    return null;
  }
  // Single-fetch data URLs answer in Remix's own encoding (turbo-stream), errors included.
  if (type.startsWith("text/x-script") && c.route.path.endsWith(".data")) return null;
  if (type.startsWith("application/json")) {
    if (body === null) return null;
    try {
      const parsed: unknown = JSON.parse(body);
      if (answer.status >= 400 && (typeof parsed !== "object" || parsed === null || !("error" in parsed))) {
        return `a JSON error without an "error" field: ${body.slice(0, 120)}`;
      }
      return null;
    } catch {
      return "a body labelled JSON that is not JSON";
    }
  }
  return `a ${type || "body without a Content-Type"} answer: ${answer.body.toString("utf8").slice(0, 120)}`;
}

/**
 * The session a Set-Cookie leaves the browser with: "kept" when it does not touch the
 * session cookie, "ended" when it clears it, else the session secret it now carries.
 */
export function sessionAfter(answer: Answer, cookieName: string): string {
  const setCookies = answer.headers["set-cookie"] ?? [];
  const cookie = setCookies.map((line) => parseSetCookie(line)).find((candidate) => candidate.name === cookieName);
  if (!cookie) return "kept";
  if (cookie.expired) return "ended";
  return sessionSecretOf(cookie.value) ?? "ended";
}

/** The session secret inside a signed cookie value ("<base64 of the JSON string>.<signature>"); null without one. */
export function sessionSecretOf(value: string): string | null {
  try {
    const encoded = decodeURIComponent(value).split(".")[0]!;
    const secret: unknown = JSON.parse(Buffer.from(encoded, "base64").toString("utf8"));
    return typeof secret === "string" ? secret : null;
  } catch {
    return null;
  }
}

/** What a browser keeps of one cookie, name and attributes included (RFC 6265 §6.1). */
export const COOKIE_MAX_BYTES = 4096;
/** The longest Location the app may send: a redirect longer than a cookie is a value nobody bounded. */
export const LOCATION_MAX_BYTES = 4096;
/** The longest log line the app may write (a request's line has a path cut at 1,024 characters). */
export const LOG_LINE_MAX_CHARS = 4096;

/**
 * What is wrong with the cookies and the redirect of an answer, if anything: a cookie a
 * browser would drop, a redirect longer than any value the app means to send, or one that
 * leaves this site for anywhere but Discord's consent page.
 */
export function headerProblem(answer: Answer, allowedElsewhere: string): string | null {
  for (const line of answer.headers["set-cookie"] ?? []) {
    const bytes = Buffer.byteLength(line);
    if (bytes > COOKIE_MAX_BYTES)
      return `a Set-Cookie of ${bytes} bytes (${line.slice(0, line.indexOf("="))}), more than a browser keeps`;
  }
  const location = answer.headers.location;
  if (location === undefined) return null;
  if (Buffer.byteLength(location) > LOCATION_MAX_BYTES) return `a Location of ${Buffer.byteLength(location)} bytes`;
  const onThisSite = location.startsWith("/") && !location.startsWith("//") && !location.startsWith("/\\");
  if (!onThisSite && !location.startsWith(allowedElsewhere))
    return `a redirect off this site: ${location.slice(0, 120)}`;
  return null;
}

/**
 * What is wrong with what the app printed, line by line: in production every line is a
 * JSON object, and none is longer than LOG_LINE_MAX_CHARS, whatever a request carried.
 */
export function logLineProblems(lines: readonly string[]): string[] {
  const problems: string[] = [];
  for (const line of lines) {
    if (line.trim() === "") continue;
    if (line.length > LOG_LINE_MAX_CHARS)
      problems.push(`a log line of ${line.length} characters: ${line.slice(0, 120)}`);
    try {
      const parsed: unknown = JSON.parse(line);
      if (typeof parsed !== "object" || parsed === null)
        problems.push(`a log line that is not an object: ${line.slice(0, 120)}`);
    } catch {
      problems.push(`a log line that is not JSON: ${line.slice(0, 120)}`);
    }
  }
  return problems;
}
