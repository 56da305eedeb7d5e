/** The body of a request or response as bytes, or null when larger than `maxBytes` (read no further). */
export async function readBodyWithLimit(
  message: { headers: Headers; body: ReadableStream<Uint8Array> | null },
  maxBytes: number,
): Promise<Buffer | null> {
  const declared = Number(message.headers.get("Content-Length"));
  // Declared too large: refused unread (the server discards the rest after answering).
  if (Number.isFinite(declared) && declared > maxBytes) return null;
  if (!message.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = message.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
