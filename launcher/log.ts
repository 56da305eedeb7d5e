import { writeLauncherLine } from "./log-line.mjs";

/** The launcher's voice: one line per component, so a glance tells what runs where (launcher/log-line.mjs). */
export function status(component: string, message: string): void {
  writeLauncherLine("info", message, component);
}

export function say(message: string): void {
  writeLauncherLine("info", message);
}

export function failure(message: string): void {
  writeLauncherLine("error", message);
}

// libpq (and pg) also take credentials as query parameters.
const SECRET_PARAMETERS = ["password", "sslpassword", "sslkey", "sslcert", "sslrootcert"];

/** A connection string fit to print: the password never reaches a terminal or a log. */
export function redactUrl(connectionString: string): string {
  const url = new URL(connectionString);
  if (url.password) url.password = "***";
  for (const name of SECRET_PARAMETERS) if (url.searchParams.has(name)) url.searchParams.set(name, "***");
  return url.toString();
}
