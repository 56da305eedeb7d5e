/**
 * Thrown by handlers to answer with a specific status and JSON body; the
 * server turns anything else that escapes a handler into a generic 500.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Readonly<Record<string, unknown>>,
  ) {
    super(`HTTP ${status}`);
    this.name = "HttpError";
  }
}
