// @ts-check
"use strict";
// Loaded into the remix-serve process by server/preload.cjs (node --require).
//
// On SIGTERM remix-serve closes its HTTP server, which waits for the requests in flight,
// and leaves the process to exit once nothing else holds it. Node's close() also ends
// every idle keep-alive connection at once; behind a proxy that pools connections, one of
// them may be carrying a request the proxy has just sent, which then fails (a GET is
// retried on another instance, a POST is not: the person gets a 502). So idle connections
// stay open for DRAIN_MS, long enough for the proxy's health check (Caddy's: every second)
// to see the instance gone; a request arriving on one meanwhile is answered with
// "Connection: close". Two things held the process for seconds:
// - a connection whose request was in flight at close() stayed open once answered, until
//   the client's keep-alive timeout ended it: its answer now says "Connection: close"
//   (or, if already under way, the connection ends with the drain);
// - idle keep-alive connections to Discord (undici keeps them about 4 s) and to Postgres:
//   once the server has closed, every request has been answered, so the process exits.
// (remix-serve's own close callback is console.error, which printed a blank line on every
// clean stop; it now hears only real errors.)

const http = require("node:http");

/** How long idle keep-alive connections outlive close(): more than a proxy's health check interval. */
const DRAIN_MS = 2_000;

const closing = new WeakSet();
/** @type {WeakMap<http.Server, Set<http.ServerResponse>>} */
const answering = new WeakMap();

/** @type {(this: http.Server, event: string, ...args: any[]) => boolean} */
const emit = http.Server.prototype.emit;
/** @param {string} event @param {any[]} args */
http.Server.prototype.emit = function emitClosingAnsweredConnections(event, ...args) {
  if (event === "request") {
    const res = /** @type {http.ServerResponse} */ (args[1]);
    // Once closing, every answer ends its connection ("Connection: close").
    if (closing.has(this)) res.shouldKeepAlive = false;
    let responses = answering.get(this);
    if (!responses) answering.set(this, (responses = new Set()));
    responses.add(res);
    res.once("close", () => responses.delete(res));
  }
  return emit.call(this, event, ...args);
};

const close = http.Server.prototype.close;
/** @param {((error?: Error) => void) | undefined} callback */
http.Server.prototype.close = function closeThenExit(callback) {
  closing.add(this);
  // Answers not yet begun end their connections; those already sent end at the drain.
  for (const res of answering.get(this) ?? []) if (!res.headersSent) res.shouldKeepAlive = false;
  // Node's close() calls closeIdleConnections(): held back until the proxy has let go.
  const closeIdleConnections = this.closeIdleConnections;
  this.closeIdleConnections = () => {};
  setTimeout(() => {
    this.closeIdleConnections = closeIdleConnections;
    this.closeIdleConnections();
  }, DRAIN_MS).unref();
  return close.call(this, (/** @type {Error | undefined} */ error) => {
    if (error) {
      callback?.(error);
      return;
    }
    setImmediate(() => process.exit(process.exitCode ?? 0));
  });
};
