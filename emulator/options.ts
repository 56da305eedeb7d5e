import { z } from "zod";

export interface EmulatorOptions {
  port?: number;
  host?: string;
  clientId?: string;
  clientSecret?: string;
  redirectUris?: string[];
  webhookUrl?: string;
  accessTokenTtlSeconds?: number;
  codeTtlSeconds?: number;
}

/** Options with every default applied; what the rest of the emulator reads. */
export interface EmulatorConfig {
  readonly port: number;
  readonly host: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUris: readonly string[];
  readonly webhookUrl: string | null;
  readonly accessTokenTtlSeconds: number;
  readonly codeTtlSeconds: number;
}

const DEFAULT_PORT = 3001;
const DEFAULT_CLIENT_ID = "1290000000000000001";
/** Documented in docs/emulator.md; only ever valid against the emulator. */
const DEFAULT_CLIENT_SECRET = "discord-emulator-client-secret";
const DEFAULT_REDIRECT_URI = "http://localhost:3000/auth/discord/callback";
/** Discord's access tokens last a week. */
const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 604_800;
/** Discord's authorization codes expire 100 seconds after they are issued. */
const DEFAULT_CODE_TTL_SECONDS = 100;

const TEN_YEARS_SECONDS = 315_360_000;
const httpUrl = z.url({ protocol: /^https?$/, error: "must be an absolute http:// or https:// URL" });
const lifetime = z
  .number("must be a number of seconds")
  .positive("must be greater than 0")
  .max(TEN_YEARS_SECONDS, "must be at most ten years");

const optionsSchema = z.strictObject({
  port: z.int("must be an integer").min(0, "must be from 0 to 65535").max(65535, "must be from 0 to 65535"),
  host: z.string().trim().min(1, "must not be empty"),
  clientId: z.string().regex(/^[1-9][0-9]{16,19}$/, "must be a snowflake: 17 to 20 digits"),
  clientSecret: z.string().regex(/^\S{8,}$/, "must be at least 8 characters without whitespace"),
  // RFC 6749 §3.1.2: a redirection endpoint must not carry a fragment.
  redirectUris: z
    .array(httpUrl.refine((uri) => !uri.includes("#"), "must not contain a #fragment"))
    .min(1, "must list at least one URI"),
  webhookUrl: httpUrl.nullable(),
  accessTokenTtlSeconds: lifetime,
  codeTtlSeconds: lifetime,
});

export class InvalidOptionError extends Error {
  constructor(
    readonly option: string,
    readonly reason: string,
  ) {
    super(`Invalid emulator option ${option}: ${reason}`);
    this.name = "InvalidOptionError";
  }
}

export function resolveOptions(options: EmulatorOptions = {}): EmulatorConfig {
  const parsed = optionsSchema.safeParse({
    port: options.port ?? DEFAULT_PORT,
    host: options.host ?? "127.0.0.1",
    clientId: options.clientId ?? DEFAULT_CLIENT_ID,
    clientSecret: options.clientSecret ?? DEFAULT_CLIENT_SECRET,
    redirectUris: options.redirectUris ?? [DEFAULT_REDIRECT_URI],
    webhookUrl: options.webhookUrl ?? null,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? DEFAULT_ACCESS_TOKEN_TTL_SECONDS,
    codeTtlSeconds: options.codeTtlSeconds ?? DEFAULT_CODE_TTL_SECONDS,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const [option, index] = issue.path;
    // For list entries, say which entry is wrong.
    const entry = typeof index === "number" ? `entry "${String(options.redirectUris?.[index])}" ` : "";
    throw new InvalidOptionError(String(option ?? "options"), entry + issue.message);
  }
  return parsed.data;
}
