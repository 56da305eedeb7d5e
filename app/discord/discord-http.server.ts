import type { z } from "zod";
import { readBodyWithLimit } from "~/utils/read-body.server";
import { DiscordError } from "./discord-error.server";

const MAX_BODY_BYTES = 1024 * 1024;

export interface DiscordRequest {
  operation: string;
  url: string;
  init: RequestInit;
  timeoutMs: number;
  /** Sees every answer before it is sorted into success or failure (the bot's rate limits). */
  observe?: (response: Response) => void;
}

/**
 * One bounded request to Discord. Network failures, timeouts, 429s, 5xx and 401s become
 * DiscordErrors; other answers are returned for the caller to interpret.
 */
export async function callDiscord({ operation, url, init, timeoutMs, observe }: DiscordRequest): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, redirect: "error", signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === "TimeoutError";
    throw new DiscordError(operation, timedOut ? { kind: "timeout", afterMs: timeoutMs } : { kind: "unreachable" });
  }
  observe?.(response);
  if (response.status === 429) {
    throw new DiscordError(operation, { kind: "rate_limited", retryAfterSeconds: await retryAfter(response) });
  }
  if (response.status >= 500) {
    await response.body?.cancel();
    throw new DiscordError(operation, { kind: "server_error", status: response.status });
  }
  if (response.status === 401 && !url.includes("/oauth2/token")) {
    await response.body?.cancel();
    throw new DiscordError(operation, { kind: "unauthorized" });
  }
  return response;
}

/** Parses and validates a JSON body; anything unexpected is a `malformed` failure, never a crash. */
export async function readJson<Schema extends z.ZodType>(
  operation: string,
  response: Response,
  schema: Schema,
): Promise<z.infer<Schema>> {
  const bytes = await readResponseBody(response, MAX_BODY_BYTES);
  if (!bytes) throw new DiscordError(operation, { kind: "malformed", detail: `body over ${MAX_BODY_BYTES} bytes` });
  let body: unknown;
  try {
    body = JSON.parse(bytes.toString("utf8"));
  } catch {
    throw new DiscordError(operation, { kind: "malformed", detail: "body is not JSON" });
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join(".") : "body";
    throw new DiscordError(operation, { kind: "malformed", detail: `${where}: ${issue?.message ?? "invalid"}` });
  }
  return parsed.data;
}

/** Seconds to wait, from Discord's JSON `retry_after` or the Retry-After header; bounded. */
async function retryAfter(response: Response): Promise<number> {
  let seconds = Number(response.headers.get("Retry-After"));
  try {
    const bytes = await readResponseBody(response, 4096);
    const body = bytes ? (JSON.parse(bytes.toString("utf8")) as { retry_after?: unknown }) : {};
    if (typeof body.retry_after === "number") seconds = body.retry_after;
  } catch {
    // the header is enough
  }
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(Math.ceil(seconds), 3600) : 1;
}

/** A response body up to `maxBytes`; a larger one is cancelled, so its connection is freed. */
async function readResponseBody(response: Response, maxBytes: number): Promise<Buffer | null> {
  const bytes = await readBodyWithLimit(response, maxBytes);
  if (!bytes) await response.body?.cancel().catch(() => {});
  return bytes;
}
