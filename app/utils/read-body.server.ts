/**
 * The body of a request or response as bytes, or null when larger than `maxBytes`.
 * Reading stops at the limit and the stream is let go, not cancelled: cancelling a
 * request's body would reset the connection before the answer (a 413) could leave, and
 * the server discards what is left once it has answered (server/unread-body.cjs). A
 * response's caller cancels it to free the connection.
 */
export async function readBodyWithLimit(
  message: { headers: Headers; body: ReadableStream<Uint8Array> | null },
  maxBytes: number,
): Promise<Buffer | null> {
  const declared = Number(message.headers.get("Content-Length"));
  // Declared too large: refused unread.
  if (Number.isFinite(declared) && declared > maxBytes) return null;
  if (!message.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = message.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return Buffer.concat(chunks);
      size += value.byteLength;
      if (size > maxBytes) return null;
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
}
