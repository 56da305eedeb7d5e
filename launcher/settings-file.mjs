// @ts-check
// The settings file of docs/deploy.md (/etc/discord-login.env), read with the rules of
// systemd's EnvironmentFile= (systemd.exec(5)), so that the scripts an operator runs by
// hand (SETTINGS_FILE=… npm run db:migrate) see exactly what the service sees:
// - a line whose first character (after blanks) is "#" or ";" is a comment; blank lines
//   are skipped;
// - KEY=VALUE, with blanks around the key and before the value ignored;
// - a value in single quotes is taken as it is; in double quotes, a backslash escapes
//   the next character; outside quotes, a backslash at the end of a line continues it;
// - a "#" after a value is part of the value: there are no trailing comments.

import { readFileSync } from "node:fs";

/**
 * @param {string} text the file's contents
 * @returns {Record<string, string>}
 */
export function parseSettingsFile(text) {
  /** @type {Record<string, string>} */
  const settings = {};
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  for (let index = 0; index < lines.length; index++) {
    let line = lines[index] ?? "";
    const trimmed = line.trimStart();
    if (trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith(";")) continue;
    // Continuation lines: a backslash at the very end joins the next line.
    while (line.endsWith("\\") && index + 1 < lines.length) line = line.slice(0, -1) + lines[++index];
    const equals = line.indexOf("=");
    if (equals < 0) continue; // systemd ignores a line without an assignment, with a warning
    const key = line.slice(0, equals).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) continue;
    settings[key] = unquote(line.slice(equals + 1).trimStart());
  }
  return settings;
}

/** @param {string} raw */
function unquote(raw) {
  const value = raw.trimEnd();
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1);
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\(.)/g, "$1");
  }
  return value;
}

/**
 * Puts the settings of the file named by SETTINGS_FILE into process.env, where the
 * environment does not already set them (what is set on the command line wins). Exits
 * with a one-line reason when the file cannot be read.
 * @param {(message: string) => void} fail
 * @returns {string | null} the file read, if any
 */
export function loadSettingsFile(fail) {
  const file = process.env.SETTINGS_FILE?.trim();
  if (!file) return null;
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = /** @type {{ code?: string }} */ (error).code;
    const why =
      code === "EACCES"
        ? "permission denied: run as the service's user (sudo -u discord-login …)"
        : code === "ENOENT"
          ? "no such file"
          : String(/** @type {Error} */ (error).message);
    fail(`SETTINGS_FILE=${file}: cannot read it (${why})`);
    return null;
  }
  for (const [key, value] of Object.entries(parseSettingsFile(text))) {
    if (process.env[key] === undefined) process.env[key] = value;
  }
  return file;
}
