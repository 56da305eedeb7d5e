import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import type { RouteHandler } from "./test-browser";

export interface RecordedRequest {
  headers: Record<string, string>;
  body: Buffer;
}

export interface RouteServer {
  url: string;
  /** Every request received, as sent, to replay or tamper with. */
  received: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * Serves one route handler over real HTTP, for callers that only speak HTTP (the emulator
 * delivering webhooks). Responses and thrown Responses are sent back as they are.
 */
export async function serveRoute(handler: RouteHandler, path: string): Promise<RouteServer> {
  const received: RecordedRequest[] = [];
  const answer = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readAll(req);
    const headers = Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, String(value)]));
    received.push({ headers, body });
    let outcome: unknown;
    try {
      outcome = await handler({ request: toRequest(req, url, body), params: {}, context: {} });
    } catch (thrown) {
      outcome = thrown;
    }
    if (!(outcome instanceof Response)) {
      res.writeHead(500).end(String(outcome));
      return;
    }
    res.writeHead(outcome.status, Object.fromEntries(outcome.headers));
    res.end(Buffer.from(await outcome.arrayBuffer()));
  };
  const server = createServer((req, res) => void answer(req, res).catch(() => res.destroy()));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  return {
    url,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function toRequest(req: IncomingMessage, url: string, body: Buffer): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(name, String(value));
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(url, { method: req.method, headers, body: hasBody ? new Uint8Array(body) : undefined });
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
