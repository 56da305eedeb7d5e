/** One JSON line of the app's production log (server/request-log.cjs and the app's logger). */
export interface LogEntry {
  msg: string;
  level: string;
  request_id?: string;
  [field: string]: unknown;
}

/** The JSON lines of an app's output, parsed; other lines (a tool's banner, say) are passed over. */
export function logEntries(output: string): LogEntry[] {
  return output
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as LogEntry);
}

/** "METHOD /path status" of every request line, in the order they were logged. */
export function loggedRequests(output: string): string[] {
  return logEntries(output)
    .filter((entry) => entry.msg === "request")
    .map((entry) => `${String(entry.method)} ${String(entry.path)} ${String(entry.status)}`);
}
