// @ts-check
"use strict";
// Loaded into the remix-serve process by server/preload.cjs (node --require).
//
// On SIGTERM remix-serve closes its HTTP server, which waits for the requests in flight,
// and leaves the process to exit once nothing else holds it. Two things held it for
// seconds:
// - a connection whose request was in flight at close() stays open once answered, until
//   the client's keep-alive timeout ends it (Node closes only the connections idle at
//   the moment of close()): each is now closed as soon as its answer has gone;
// - idle keep-alive connections to Discord (undici keeps them about 4 s) and to Postgres:
//   once the server has closed, every request has been answered, so the process exits.
// (remix-serve's own close callback is console.error, which printed a blank line on every
// clean stop; it now hears only real errors.)

const http = require("node:http");

const closing = new WeakSet();

/** @type {(this: http.Server, event: string, ...args: any[]) => boolean} */
const emit = http.Server.prototype.emit;
/** @param {string} event @param {any[]} args */
http.Server.prototype.emit = function emitClosingAnsweredConnections(event, ...args) {
  if (event === "request") {
    const res = /** @type {http.ServerResponse} */ (args[1]);
    res.once("finish", () => {
      if (closing.has(this)) setImmediate(() => this.closeIdleConnections());
    });
  }
  return emit.call(this, event, ...args);
};

const close = http.Server.prototype.close;
/** @param {((error?: Error) => void) | undefined} callback */
http.Server.prototype.close = function closeThenExit(callback) {
  closing.add(this);
  return close.call(this, (/** @type {Error | undefined} */ error) => {
    if (error) {
      callback?.(error);
      return;
    }
    setImmediate(() => process.exit(process.exitCode ?? 0));
  });
};
