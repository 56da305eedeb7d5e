// @ts-check
"use strict";
// Loaded into the remix-serve process by server/preload.cjs (node --require), first, so
// that its listeners are in place before remix-serve adds its own.
//
// remix-serve stops on SIGTERM or SIGINT with `process.once`: a second signal finds no
// listener, and Node's default for it kills the process, cutting every request still
// being answered. A second signal is the normal case under systemd, whose default
// KillMode=control-group sends SIGTERM to every process of the unit at once: the app
// hears it from systemd and, a moment later, again from the launcher passing it on.
// So repeats within a second are the same request to stop, and are ignored; a signal
// after that is someone asking to stop now (a second Ctrl-C), and ends the process at
// once. A stop that hangs is ended by whoever started the app (the launcher kills it
// after its grace period; systemd after TimeoutStopSec).

const SAME_REQUEST_MS = 1_000;
let firstSignalAt = 0;

/** @param {NodeJS.Signals} signal */
function onSignal(signal) {
  const now = Date.now();
  if (firstSignalAt === 0) {
    firstSignalAt = now; // remix-serve's own listener closes the server
    return;
  }
  if (now - firstSignalAt < SAME_REQUEST_MS) return;
  const msg = `${signal} received again while stopping: exiting now, without waiting for requests`;
  if (process.env.NODE_ENV === "production") {
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level: "warn", msg })}\n`);
  } else process.stderr.write(`${msg}\n`);
  process.exit(128 + (signal === "SIGINT" ? 2 : 15));
}

for (const signal of /** @type {const} */ (["SIGTERM", "SIGINT"])) process.on(signal, onSignal);
