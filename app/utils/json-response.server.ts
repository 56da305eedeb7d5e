/**
 * The JSON routes' error shape, one for all: `{ error, message }` with a machine-readable
 * code and a sentence for people. Never a stack, never a bare text.
 */
export function jsonError(status: number, error: string, message: string, headers: HeadersInit = {}): Response {
  return Response.json({ error, message }, { status, headers: { "Cache-Control": "no-store", ...headers } });
}

/** For the methods a JSON route does not take (exported as its `action`: POST, PUT, PATCH, DELETE). */
export function jsonMethodNotAllowed(allow: string): Response {
  return jsonError(405, "method_not_allowed", `This address only answers ${allow}.`, { Allow: allow });
}
