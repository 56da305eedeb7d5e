// @ts-check
"use strict";
// Loaded into the remix-serve process by server/preload.cjs (node --require).
//
// remix-serve hands the app a Fetch-API Request, which carries no socket: the address of
// the peer that connected would be lost, and with it any way to tell clients apart when
// no proxy reports them. This copies it into a request header whose name is random for
// each process, so no client can send or forge it; the app finds the name under a global
// symbol (app/auth/client-details.server.ts).

const http = require("node:http");
const { randomBytes } = require("node:crypto");

const headerName = `x-peer-address-${randomBytes(16).toString("hex")}`;
/** @type {any} */ (globalThis)[Symbol.for("remix-discord-login.peer-address-header")] = headerName;

/** @type {(this: http.Server, event: string, ...args: any[]) => boolean} */
const emit = http.Server.prototype.emit;
/** @param {string} event @param {any[]} args */
http.Server.prototype.emit = function emitWithPeerAddress(event, ...args) {
  if (event === "request") {
    const address = /** @type {http.IncomingMessage} */ (args[0]).socket?.remoteAddress;
    if (address) args[0].headers[headerName] = address;
  }
  return emit.call(this, event, ...args);
};
