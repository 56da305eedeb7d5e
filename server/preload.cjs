// @ts-check
"use strict";
// What remix-serve gets preloaded (`node --require ./server/preload.cjs`), in order: each
// later one wraps the earlier ones, so the request log, last, sees every answer. See
// docs/decisions/009-remix-serve-with-preloads.md for why these live here, and what
// happens without them (the app refuses to start: app/startup.server.ts).

require("./repeated-signals.cjs");
require("./exit-after-close.cjs");
require("./cross-site.cjs");
require("./unread-body.cjs");
require("./peer-address.cjs");
require("./strict-transport.cjs");
require("./request-log.cjs");

/** @type {any} */ (globalThis)[Symbol.for("remix-discord-login.preloaded")] = true;
