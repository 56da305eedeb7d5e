import { randomBytes } from "node:crypto";
import { PassThrough } from "node:stream";
import {
  createReadableStreamFromReadable,
  type EntryContext,
  type HandleDataRequestFunction,
  type HandleErrorFunction,
} from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { NonceProvider } from "~/components/nonce";
import { getConfig } from "~/config.server";
import { baselineSecurityHeaders, documentSecurityHeaders } from "~/security-headers.server";
import { startInstance } from "~/startup.server";
import { log, requestId } from "~/utils/logger.server";

// Checked when the server loads the build, not on the first request: an instance that is
// misconfigured, or disagrees with the others about secrets, refuses to start, listing
// every problem.
await startInstance();
const config = getConfig();

const RENDER_TIMEOUT_MS = 5_000;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  // Every page is rendered whole before the first byte leaves: nothing here streams
  // deferred data, and a complete document lets a render error still set the status.
  const nonce = randomBytes(16).toString("base64");
  for (const [name, value] of Object.entries(documentSecurityHeaders(config, nonce))) responseHeaders.set(name, value);
  // Every page is personal (the header names who is signed in) and carries a one-time
  // nonce: no browser or proxy may keep a copy.
  responseHeaders.set("Cache-Control", "no-store");
  return new Promise<Response>((resolve, reject) => {
    let status = responseStatusCode;
    // Cleared as soon as the render ends: left running, each of these would keep a finished
    // render alive for seconds (at a few hundred pages a second, thousands of them).
    const timeout = setTimeout(() => abort(), RENDER_TIMEOUT_MS);
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={RENDER_TIMEOUT_MS} nonce={nonce} />
      </NonceProvider>,
      {
        onAllReady() {
          clearTimeout(timeout);
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status }));
          pipe(body);
        },
        onShellError(error) {
          clearTimeout(timeout);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
        onError(error) {
          status = 500;
          log.error("render failed", { request_id: requestId(request), ...describeError(error) });
        },
      },
    );
  });
}

/** Single-fetch data requests (client-side navigations) get the same baseline headers, never cached. */
export const handleDataRequest: HandleDataRequestFunction = (response) => {
  for (const [name, value] of Object.entries(baselineSecurityHeaders())) response.headers.set(name, value);
  response.headers.set("Cache-Control", "no-store");
  return response;
};

/** Logs server errors; a 4xx answer (an unknown URL, a bad request) is the client's mistake, not ours. */
export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted) return;
  if (isRouteErrorResponse(error) && error.status < 500) return;
  log.error("request failed", {
    request_id: requestId(request),
    path: new URL(request.url).pathname,
    ...describeError(error),
  });
};

function describeError(error: unknown) {
  return error instanceof Error ? { error: error.message, stack: error.stack } : { error: String(error) };
}
