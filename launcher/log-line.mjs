// @ts-check
// How every launcher line is written, by the compiled launcher and by launcher/run.mjs
// alike. In production, read by journald or a log agent (NODE_ENV=production and no
// terminal), each line is a JSON object on stdout, as the app's own lines are; in a
// terminal it is plain text, with problems on stderr.

/**
 * @param {"info" | "warn" | "error"} level
 * @param {string} message
 * @param {string} [component] what the line is about: "app", "database", "discord"…
 */
export function writeLauncherLine(level, message, component) {
  if (writesJsonLines()) {
    const line = { time: new Date().toISOString(), level, msg: message, source: "launcher", component };
    process.stdout.write(`${JSON.stringify(line)}\n`);
    return;
  }
  const prefix = level === "info" ? "" : `${level === "warn" ? "warning" : "error"}: `;
  const text = `[launcher] ${component ? `${component}: ` : ""}${prefix}${message}\n`;
  (level === "info" ? process.stdout : process.stderr).write(text);
}

/** Whether lines are JSON objects on stdout: in production, with no terminal to read them. */
export function writesJsonLines() {
  return process.env.NODE_ENV === "production" && !process.stdout.isTTY;
}
