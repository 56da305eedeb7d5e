import type { IncomingMessage, ServerResponse } from "node:http";

export interface IncomingRequest {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
}

export type RouteHandler = (request: IncomingRequest) => Promise<void> | void;

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly paramNames: readonly string[];
  readonly handler: RouteHandler;
}

export type RouteMatch =
  | { readonly kind: "found"; readonly handler: RouteHandler; readonly params: Record<string, string> }
  | { readonly kind: "method-not-allowed" }
  | { readonly kind: "not-found" };

function compile(path: string): { pattern: RegExp; paramNames: string[] } {
  const paramNames: string[] = [];
  const source = path
    .split("/")
    .map((segment) => {
      if (!segment.startsWith(":")) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      paramNames.push(segment.slice(1));
      return "([^/]+)";
    })
    .join("/");
  return { pattern: new RegExp(`^${source}$`), paramNames };
}

function decodeParams(names: readonly string[], values: readonly string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  try {
    names.forEach((name, index) => {
      params[name] = decodeURIComponent(values[index] ?? "");
    });
  } catch {
    return undefined; // malformed percent-encoding cannot name any resource
  }
  return params;
}

/** Matches "/literal/:param" paths; HEAD is served by the GET handler, as Node drops the body. */
export class Router {
  private readonly routes: Route[] = [];

  on(method: string, paths: string | readonly string[], handler: RouteHandler): this {
    for (const path of typeof paths === "string" ? [paths] : paths) {
      this.routes.push({ method, handler, ...compile(path) });
    }
    return this;
  }

  match(method: string, pathname: string): RouteMatch {
    const wanted = method === "HEAD" ? "GET" : method;
    let pathMatched = false;
    for (const route of this.routes) {
      const found = route.pattern.exec(pathname);
      if (!found) continue;
      const params = decodeParams(route.paramNames, found.slice(1));
      if (!params) continue;
      pathMatched = true;
      if (route.method === wanted) return { kind: "found", handler: route.handler, params };
    }
    return pathMatched ? { kind: "method-not-allowed" } : { kind: "not-found" };
  }
}
