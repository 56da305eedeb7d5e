// @ts-check
"use strict";
// Loaded into the remix-serve process by server/preload.cjs (node --require).
//
// Over https every answer carries Strict-Transport-Security, as docs/deploy.md promises:
// not only pages (app/security-headers.server.ts) but also what never reaches the app's
// entry: redirects from loaders and actions, resource routes such as /healthz, and the
// static files remix-serve sends itself. Set when each request arrives, so anything the
// app sets later wins. APP_URL is read as the app reads it; the app refuses to start on a
// value it cannot use.

const http = require("node:http");

const HSTS = "max-age=31536000";
const overHttps = (process.env.APP_URL ?? "").trim().toLowerCase().startsWith("https://");

if (overHttps) {
  /** @type {(this: http.Server, event: string, ...args: any[]) => boolean} */
  const emit = http.Server.prototype.emit;
  /** @param {string} event @param {any[]} args */
  http.Server.prototype.emit = function emitWithStrictTransport(event, ...args) {
    if (event === "request") {
      const res = /** @type {http.ServerResponse} */ (args[1]);
      res.setHeader("Strict-Transport-Security", HSTS);
    }
    return emit.call(this, event, ...args);
  };
}
