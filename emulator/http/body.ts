import type { IncomingMessage } from "node:http";
import { HttpError } from "./http-error";

// Every body the emulator accepts (forms, control-API JSON) is tiny; the cap
// stops a misbehaving client from making the process buffer without bound.
const MAX_BODY_BYTES = 64 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      throw new HttpError(413, { message: "413: Request Entity Too Large", code: 0 });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The media type of the request body, lower-cased and without parameters such as charset. */
export function mediaTypeOf(req: IncomingMessage): string {
  return (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
}

export function isFormEncoded(req: IncomingMessage): boolean {
  return mediaTypeOf(req) === "application/x-www-form-urlencoded";
}

/** RFC 6749 §3.1: OAuth parameters must not be sent more than once. */
export function repeatedParameter(params: URLSearchParams, names: readonly string[]): string | undefined {
  return names.find((name) => params.getAll(name).length > 1);
}
