import type { ServerResponse } from "node:http";
import type { SafeHtml } from "./html";

export type HeaderMap = Readonly<Record<string, string>>;

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: HeaderMap = {}): void {
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    ...headers,
    "Content-Type": "application/json",
    "Content-Length": payload.length,
  });
  res.end(payload);
}

export function sendNoContent(res: ServerResponse): void {
  res.writeHead(204);
  res.end();
}

// Pages never load scripts and only style themselves inline; the policy
// makes that explicit and keeps the consent page out of frames. Their address (the
// OAuth state, the PKCE challenge) never goes to another site as a Referer; to their own
// origin it may, so their forms' POSTs carry their real Origin, not "null".
const PAGE_SECURITY_HEADERS: HeaderMap = {
  "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "same-origin",
  "Cache-Control": "no-store",
};

export function sendHtml(res: ServerResponse, status: number, page: SafeHtml, headers: HeaderMap = {}): void {
  const payload = Buffer.from(page.value);
  res.writeHead(status, {
    ...PAGE_SECURITY_HEADERS,
    ...headers,
    "Content-Type": "text/html; charset=utf-8",
    "Content-Length": payload.length,
  });
  res.end(payload);
}

export function sendBytes(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: Buffer,
  headers: HeaderMap = {},
): void {
  res.writeHead(status, { ...headers, "Content-Type": contentType, "Content-Length": body.length });
  res.end(body);
}

export function redirect(res: ServerResponse, location: string, headers: HeaderMap = {}): void {
  res.writeHead(302, { ...headers, Location: location, "Content-Length": 0, "Cache-Control": "no-store" });
  res.end();
}
