/**
 * A 503 with Retry-After, thrown as a Response so Remix answers it with the error page:
 * for what the person cannot fix and the server can recover from.
 */
export function serviceUnavailable(message: string, retryAfterSeconds = 30): Response {
  return new Response(message, {
    status: 503,
    statusText: "Service Unavailable",
    headers: { "Retry-After": String(retryAfterSeconds), "Content-Type": "text/plain; charset=utf-8" },
  });
}
