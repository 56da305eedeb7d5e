import { getConfig } from "~/config.server";

/**
 * The app's log: one JSON object per line on stdout in production (for log collectors), a
 * readable line in development. Fields are explicit and few; tokens, cookies, codes and
 * secrets are never passed here. LOG_LEVEL (debug, info, warn, error, silent) sets the threshold.
 */
type Level = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, string | number | boolean | null | undefined>;

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;

function write(level: Level, msg: string, fields: LogFields = {}): void {
  const { logLevel, nodeEnv } = getConfig();
  if (LEVELS[level] < LEVELS[logLevel]) return;
  const line =
    nodeEnv === "production"
      ? JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })
      : [
          level,
          msg,
          ...Object.entries(fields)
            .filter(([, value]) => value !== undefined)
            .map(([key, value]) => `${key}=${value}`),
        ].join(" ");
  // In production every line goes to stdout, one stream for the log collector; in a
  // terminal, warnings and errors stand apart on stderr.
  const toStderr = nodeEnv !== "production" && (level === "error" || level === "warn");
  (toStderr ? process.stderr : process.stdout).write(`${line}\n`);
}

export const log = {
  debug: (msg: string, fields?: LogFields) => write("debug", msg, fields),
  info: (msg: string, fields?: LogFields) => write("info", msg, fields),
  warn: (msg: string, fields?: LogFields) => write("warn", msg, fields),
  error: (msg: string, fields?: LogFields) => write("error", msg, fields),
};

/** The id the request logger gave this request (server/request-log.cjs), to tie lines together. */
export function requestId(request: Request): string | undefined {
  return request.headers.get("X-Request-Id") ?? undefined;
}
