// @ts-check
"use strict";
// Loaded into `remix dev` by the launcher (node --require), never into the app.
//
// Remix's development server (its live-reload websocket, and the /ping the app calls
// when it has been rebuilt) listens with server.listen(port): on every interface, with no
// option to choose one. The launcher binds the app to HOST (loopback whenever the
// emulator or throwaway secrets are in use); this binds the development server to the
// same address: a listen() given only a port gets HOST as its host. Without HOST both
// listen on every interface, as `npm start` does.

const net = require("node:net");

const host = process.env.HOST?.trim();
if (host) {
  const listen = net.Server.prototype.listen;
  /** @param {any[]} args */
  net.Server.prototype.listen = function listenOnHost(...args) {
    const [port, next] = args;
    const portOnly =
      (typeof port === "number" || (typeof port === "string" && /^\d+$/.test(port))) &&
      (args.length === 1 || typeof next === "function");
    return listen.apply(this, /** @type {any} */ (portOnly ? [port, host, ...args.slice(1)] : args));
  };
}
