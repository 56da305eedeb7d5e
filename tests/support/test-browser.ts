import * as root from "~/root";
import { APP_URL } from "./app-harness";
import { parseSetCookie } from "./set-cookie";

/** A loader or action, as Remix calls it. */
export type RouteHandler = (args: {
  request: Request;
  params: Record<string, string>;
  context: Record<string, unknown>;
}) => unknown;

export interface RouteResult {
  status: number;
  headers: Headers;
  /** Where a redirect points, or null. */
  location: string | null;
  /** What a loader returned as data (plain or through `data()`), else undefined. */
  data: any;
  /** The body of a Response (error pages, JSON resource routes). */
  body: string;
}

/**
 * Calls route handlers the way a browser reaches them: real Requests with this
 * browser's cookies, and Set-Cookie answers remembered for the next request.
 */
export class TestBrowser {
  private readonly cookies = new Map<string, string>();

  constructor(readonly userAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/156.0 Safari/537.36") {}

  /** Another browser holding the same cookies as this one right now (to replay them later). */
  clone(): TestBrowser {
    const twin = new TestBrowser(this.userAgent);
    for (const [name, value] of this.cookies) twin.cookies.set(name, value);
    return twin;
  }

  cookie(name = "session"): string | undefined {
    return this.cookies.get(name);
  }

  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  /** The one-shot notice the next page would show (taken, as the page would take it), or null. */
  async notice(): Promise<{ kind: string; message: string } | null> {
    return (await this.get(root.loader, "/")).data.notice;
  }

  get(handler: RouteHandler, path: string, headers: Record<string, string> = {}): Promise<RouteResult> {
    return this.call(handler, new Request(new URL(path, APP_URL), { headers: this.headers(headers) }));
  }

  post(handler: RouteHandler, path: string, form: Record<string, string> = {}, headers: Record<string, string> = {}) {
    const request = new Request(new URL(path, APP_URL), {
      method: "POST",
      headers: this.headers({ Origin: APP_URL, "Content-Type": "application/x-www-form-urlencoded", ...headers }),
      body: new URLSearchParams(form),
    });
    return this.call(handler, request);
  }

  private headers(extra: Record<string, string>): Headers {
    const headers = new Headers({ "User-Agent": this.userAgent, ...extra });
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    if (cookie && !headers.has("Cookie")) headers.set("Cookie", cookie);
    return headers;
  }

  private async call(handler: RouteHandler, request: Request): Promise<RouteResult> {
    let outcome: unknown;
    try {
      outcome = await handler({ request, params: {}, context: {} });
    } catch (thrown) {
      if (!(thrown instanceof Response)) throw thrown;
      outcome = thrown;
    }
    const result = await toResult(outcome);
    this.remember(result.headers);
    return result;
  }

  private remember(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const { name, value, expired } = parseSetCookie(line);
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

async function toResult(outcome: unknown): Promise<RouteResult> {
  if (outcome instanceof Response) {
    return {
      status: outcome.status,
      headers: outcome.headers,
      location: outcome.headers.get("Location"),
      data: undefined,
      body: await outcome.text(),
    };
  }
  // Remix's data() helper: { type: "DataWithResponseInit", data, init }.
  const wrapped = outcome as { type?: string; data?: unknown; init?: ResponseInit | null } | undefined;
  if (wrapped?.type === "DataWithResponseInit") {
    return {
      status: wrapped.init?.status ?? 200,
      headers: new Headers(wrapped.init?.headers),
      location: null,
      data: wrapped.data,
      body: "",
    };
  }
  return { status: 200, headers: new Headers(), location: null, data: outcome, body: "" };
}
