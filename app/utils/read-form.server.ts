import { readBodyWithLimit } from "./read-body.server";

/** Every form in this app is a few short fields; anything near this size is not one of them. */
const MAX_FORM_BYTES = 16 * 1024;

/**
 * The fields of a posted form (what <Form> sends, with or without JavaScript: URL-encoded).
 * Remix would buffer a body of any size; this stops at 16 KiB with a 413. A body of
 * another type is not read at all and reads as an empty form, which every action answers
 * as a bad request (the server discards it after answering: server/unread-body.cjs).
 */
export async function readForm(request: Request, options: { maxBytes?: number } = {}): Promise<URLSearchParams> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!type.toLowerCase().startsWith("application/x-www-form-urlencoded")) return new URLSearchParams();
  const body = await readBodyWithLimit(request, options.maxBytes ?? MAX_FORM_BYTES);
  if (!body) {
    throw new Response("This form is too large.", { status: 413, statusText: "Payload Too Large" });
  }
  return new URLSearchParams(body.toString("utf8"));
}
