// @ts-check
"use strict";
// Loaded into the remix-serve process by server/preload.cjs (node --require).
//
// Remix reads a request body only when the app asks for it, through a stream that pauses
// the socket once its buffer is full. A body nobody reads to the end (a page that does not
// take POSTs, a form refused as too large) would leave the socket paused: on a keep-alive
// connection, the next request (another client's, behind a proxy that reuses connections)
// would never be answered, and cancelling the stream instead resets the connection before
// the answer leaves. So once the answer has been sent, what is left of the body is read and
// thrown away, as Node does for bodies nobody touched, but only so much: past the bound,
// the connection is closed.

const http = require("node:http");

/** Most bytes, and longest time, spent discarding a body after the answer. */
const DRAIN_MAX_BYTES = 1024 * 1024;
const DRAIN_MAX_MS = 5_000;

/** @type {(this: http.Server, event: string, ...args: any[]) => boolean} */
const emit = http.Server.prototype.emit;
/** @param {string} event @param {any[]} args */
http.Server.prototype.emit = function emitDrainingUnreadBodies(event, ...args) {
  if (event === "request") {
    const [req, res] = /** @type {[http.IncomingMessage, http.ServerResponse]} */ (/** @type {unknown} */ (args));
    res.once("finish", () => drainUnread(req));
  }
  return emit.call(this, event, ...args);
};

/** @param {http.IncomingMessage} req */
function drainUnread(req) {
  if (req.complete || req.destroyed) return;
  let drained = 0;
  const giveUp = () => req.socket.destroy();
  const timer = setTimeout(giveUp, DRAIN_MAX_MS);
  timer.unref();
  // The app's readers (Remix's stream pump) are detached; the rest flows to nowhere.
  req.removeAllListeners("data");
  req.on("data", (/** @type {Buffer} */ chunk) => {
    drained += chunk.length;
    if (drained > DRAIN_MAX_BYTES) giveUp();
  });
  req.once("end", () => clearTimeout(timer));
  req.once("close", () => clearTimeout(timer));
  req.resume();
}
