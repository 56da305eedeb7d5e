/**
 * The app's log: one JSON object per line in production (for log collectors), a readable
 * line in development. Fields are explicit and few; tokens, cookies, codes and secrets are
 * never passed here. LOG_LEVEL (debug, info, warn, error, silent) sets the threshold.
 */
type Level = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, string | number | boolean | null | undefined>;

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;

function threshold(): number {
  const configured = process.env.LOG_LEVEL as keyof typeof LEVELS | undefined;
  return LEVELS[configured ?? "info"] ?? LEVELS.info;
}

function write(level: Level, msg: string, fields: LogFields = {}): void {
  if (LEVELS[level] < threshold()) return;
  const line =
    process.env.NODE_ENV === "production"
      ? JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })
      : [
          level,
          msg,
          ...Object.entries(fields)
            .filter(([, value]) => value !== undefined)
            .map(([key, value]) => `${key}=${value}`),
        ].join(" ");
  (level === "error" || level === "warn" ? process.stderr : process.stdout).write(`${line}\n`);
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
