import { request as httpRequest, type Agent, type IncomingHttpHeaders } from "node:http";

export interface ExactRequest {
  method: string;
  /** Path and query, sent as given (fetch() would normalise them). */
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  /** Framed with Transfer-Encoding: chunked, in 8 KiB chunks as a streaming client sends them; else with Content-Length. */
  chunked?: boolean;
}

export interface ExactAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * One request sent exactly as built (Node's client adds nothing but Host and the framing
 * named here), over `agent`'s connections when given. Rejects when no answer has come
 * within `timeoutMs`, or when the answer breaks off.
 */
export function sendExactly(
  target: { url: string; agent?: Agent },
  request: ExactRequest,
  timeoutMs = 5_000,
): Promise<ExactAnswer> {
  const url = new URL(target.url);
  const { body, chunked } = request;
  // Named explicitly: Node's client frames a body chunked by default only for some methods.
  const framing = chunked ? { "Transfer-Encoding": "chunked" } : { "Content-Length": String(body.length) };
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: request.method,
        path: request.path,
        headers: { ...request.headers, ...framing },
        agent: target.agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on("error", (error) => reject(new Error(`response broke off: ${error.message}`)));
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    if (chunked) {
      for (let offset = 0; offset < body.length; offset += 8192) req.write(body.subarray(offset, offset + 8192));
      req.end();
    } else {
      req.end(body);
    }
  });
}
