// @ts-check
"use strict";
// Loaded into the remix-serve process by server/preload.cjs (node --require).
// the way instrumentation is added to a server one does not own.
//
// remix-serve mounts morgan("tiny"), which prints every full URL: the OAuth callback's
// ?code=...&state=... would end up in the logs. This replaces that access log with one
// line per request: JSON in production ({time, level, msg, request_id, method, path,
// status, duration_ms}), the path without its query string, and a request id the app
// sees (X-Request-Id) and the client gets back.

const http = require("node:http");
const { randomUUID } = require("node:crypto");
const Module = require("node:module");

const production = process.env.NODE_ENV === "production";
// Behind a proxy the operator declared, keep the id the proxy assigned, if it has the
// shape of one (a UUID, a hex or ULID id): 8 to 64 letters, digits and hyphens. Anything
// else may be the client's own, passed through by a proxy that sets none: it is replaced,
// so no client can write what it likes into the log and the answer's headers.
const trustIncomingId = Number(process.env.TRUST_PROXY || 0) > 0;
const REQUEST_ID_SHAPE = /^[A-Za-z0-9][A-Za-z0-9-]{7,63}$/;
/** The longest path written to a log line; a longer one is cut, and says so. */
const MAX_LOGGED_PATH = 1024;
const silent = process.env.LOG_LEVEL === "silent" || process.env.LOG_LEVEL === "error";

// remix-serve requires morgan and mounts morgan("tiny") unconditionally: give it a no-op.
// @ts-expect-error Module._load is Node's internal loader, stable for decades.
const load = Module._load;
// @ts-expect-error see above
Module._load = function loadWithoutMorgan(request, ...rest) {
  if (request === "morgan")
    return () => (/** @type {any} */ _req, /** @type {any} */ _res, /** @type {() => void} */ next) => next();
  return load.call(this, request, ...rest);
};

// remix-serve says where it listens with a plain console.log: in production, where every
// line is a JSON object for the log collector, that line is one too.
if (production) {
  const consoleLog = console.log;
  console.log = function logRemixServeAsJson(/** @type {any[]} */ ...args) {
    const [text] = args;
    if (args.length === 1 && typeof text === "string" && text.startsWith("[remix-serve] ")) {
      const listening = text.slice("[remix-serve] ".length);
      const line = { time: new Date().toISOString(), level: "info", msg: "listening", at: listening };
      process.stdout.write(`${JSON.stringify(line)}\n`);
      return;
    }
    consoleLog.apply(console, args);
  };
}

/** @type {(this: http.Server, event: string, ...args: any[]) => boolean} */
const emit = http.Server.prototype.emit;
/** @param {string} event @param {any[]} args */
http.Server.prototype.emit = function emitWithLogging(event, ...args) {
  if (event === "request") track(args[0], args[1]);
  return emit.call(this, event, ...args);
};

/** @param {http.IncomingMessage} req @param {http.ServerResponse} res */
function track(req, res) {
  const started = process.hrtime.bigint();
  const incoming = req.headers["x-request-id"];
  const id =
    trustIncomingId && typeof incoming === "string" && REQUEST_ID_SHAPE.test(incoming) ? incoming : randomUUID();
  req.headers["x-request-id"] = id;
  res.setHeader("X-Request-Id", id);
  let logged = false;
  const done = () => {
    if (logged || silent) return;
    logged = true;
    const durationMs = Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10;
    const fullPath = (req.url ?? "/").split("?")[0] ?? "/";
    const path = fullPath.length > MAX_LOGGED_PATH ? `${fullPath.slice(0, MAX_LOGGED_PATH)}…` : fullPath;
    const status = res.writableFinished ? res.statusCode : 499; // 499: the client went away first
    const line = production
      ? JSON.stringify({
          time: new Date().toISOString(),
          level: status >= 500 ? "error" : "info",
          msg: "request",
          request_id: id,
          method: req.method,
          path,
          status,
          duration_ms: durationMs,
        })
      : `${req.method} ${path} ${status} ${durationMs}ms`;
    process.stdout.write(`${line}\n`);
  };
  res.once("finish", done);
  res.once("close", done);
}
