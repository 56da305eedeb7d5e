import { createHash } from "node:crypto";
import { isIP } from "node:net";
import { z } from "zod";

/**
 * The app's whole configuration, read from the environment once at start. Every variable,
 * its meaning and its default are documented in .env.example (and the README's table).
 */
export interface Config {
  nodeEnv: (typeof NODE_ENVS)[number];
  /** Least severe log lines written (LOG_LEVEL). */
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
  port: number;
  /** Public origin of the app, without trailing slash. */
  appUrl: string;
  /** True when APP_URL is https: cookies get `Secure` and the `__Host-` prefix. */
  secureCookies: boolean;
  databaseUrl: string;
  /** Most connections this process keeps open to Postgres (DATABASE_POOL_SIZE). */
  databasePoolSize: number;
  /** Where the listener for session changes connects (DATABASE_LISTEN_URL, else DATABASE_URL). */
  databaseListenUrl: string;
  /** Bounds of this instance's memory for active sessions (0 sessions: no cache) and for server lists. */
  caches: { maxSessions: number; maxSessionMb: number; sessionMaxAgeSeconds: number; maxGuildMb: number };
  /** Newest first; the first signs, all verify (rotation). */
  sessionSecrets: string[];
  /** How long a login lasts, enforced on the server (and the cookie's Max-Age). */
  sessionMaxAgeMs: number;
  /** Newest first; the first encrypts, all decrypt (rotation). */
  tokenEncryptionKeys: EncryptionKey[];
  discord: {
    clientId: string;
    clientSecret: string;
    scopes: string[];
    baseUrl: string;
    cdnUrl: string;
    publicKey: string | null;
    /** Bound on every request to Discord, so a slow Discord cannot hang a page. */
    timeoutMs: number;
  };
  /**
   * How many reverse proxies in front of the app append to X-Forwarded-For; 0 trusts none.
   * The client's address is the one the outermost trusted proxy saw.
   */
  trustProxyHops: number;
  /** Per client (or per user) and per minute; 0 turns a limit off. */
  rateLimits: { loginsPerMinute: number; actionsPerMinute: number };
  /** True when the launcher says Discord is its emulator (DISCORD_EMULATOR): the UI shows a banner. */
  usingEmulator: boolean;
  /** Who may sign in (ACCESS_*); null when anyone with a Discord account may. */
  access: AccessRules | null;
  /** The bot dashboard (DISCORD_BOT_*, DASHBOARD_*); null without DISCORD_BOT_TOKEN: the feature is off. */
  dashboard: DashboardSettings | null;
  /** Joining the community server at sign-in (JOIN_*); null when JOIN_GUILD_ID is unset. */
  join: JoinSettings | null;
  /** The app as a Linked Roles verification provider (LINKED_ROLES); needs the bot token. */
  linkedRoles: boolean;
}

export interface JoinSettings {
  /** The server people are added to (JOIN_GUILD_ID), by the bot (DISCORD_BOT_TOKEN). */
  guild: AccessTarget;
  /** Roles they are given when they are added (JOIN_ROLE_IDS); none for people already in it. */
  roles: string[];
  /**
   * "first_sign_in": everyone is added once, at their first sign-in while it is set (the
   * login asks for guilds.join). "offered": with members-only rules, which joining must not
   * bypass unasked, the refusal page offers "Join and continue" instead.
   */
  when: "first_sign_in" | "offered";
}

export interface DashboardSettings {
  /** The bot user's token, of the same application as DISCORD_CLIENT_ID. */
  botToken: string;
  /** What the bot asks for when it is added (DISCORD_BOT_PERMISSIONS). */
  botPermissions: bigint;
  /** How long a person's standing as a server's manager holds before Discord is asked again. */
  recheckMs: number;
  /** How many instances share the bot's rate limits (DISCORD_BOT_INSTANCES; ADR 015). */
  instances: number;
}

/**
 * What the example setting needs, and the default of DISCORD_BOT_PERMISSIONS: View Channels
 * (1 << 10), to list the channels a welcome message can go to, and Send Messages (1 << 11),
 * to post it.
 */
export const DEFAULT_BOT_PERMISSIONS = (1n << 10n) | (1n << 11n);

/** A Discord server or role named in the access rules; the label is the builder's name for it. */
export interface AccessTarget {
  id: string;
  label: string | null;
}

export interface AccessRules {
  /** A person must be a member of at least one of these servers (ACCESS_GUILD_IDS)... */
  guilds: AccessTarget[];
  /** ...holding at least one of these roles there (ACCESS_ROLE_IDS); empty: membership is enough. */
  roles: AccessTarget[];
  /** How long a confirmed membership stands before it is checked again (ACCESS_RECHECK_MINUTES). */
  recheckMs: number;
  /** How long access is kept while Discord cannot confirm it (ACCESS_GRACE_MINUTES). */
  graceMs: number;
  /** Shown to people who are refused (ACCESS_INVITE_URL). */
  inviteUrl: string | null;
  /** Scopes the rules need that DISCORD_SCOPES did not list; added to the login, said at start. */
  addedScopes: string[];
}

export interface EncryptionKey {
  /** Short stable id derived from the key, stored beside each ciphertext. */
  id: string;
  key: Buffer;
}

const REAL_DISCORD_ORIGIN = "https://discord.com";

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined));

/** A rate limit: requests per minute, 0 turning it off. */
function requestsPerMinute(defaultValue: number) {
  return optionalText.pipe(
    z
      .string()
      .regex(/^\d{1,6}$/, {
        error: (issue) => `must be a number of requests per minute, 0 to turn it off (got "${String(issue.input)}")`,
      })
      .transform(Number)
      .default(defaultValue),
  );
}

/** A whole number within bounds, or undefined when unset (its default depends on other settings). */
function wholeNumberOrUnset(description: string, min: number, max: number) {
  return optionalText.pipe(
    z
      .string()
      .regex(/^\d{1,9}$/, { error: (issue) => `must be ${description} (got "${String(issue.input)}")` })
      .transform(Number)
      .refine((value) => value >= min && value <= max, { error: `must be from ${min} to ${max}` })
      .optional(),
  );
}

function wholeNumber(description: string, min: number, max: number, defaultValue: number) {
  return optionalText.pipe(
    z
      .string()
      .regex(/^\d{1,9}$/, { error: (issue) => `must be ${description} (got "${String(issue.input)}")` })
      .transform(Number)
      .refine((value) => value >= min && value <= max, { error: `must be from ${min} to ${max}` })
      .default(defaultValue),
  );
}

function origin(description: string) {
  return optionalText.pipe(
    z
      .string()
      .optional()
      .refine((value) => value === undefined || toOrigin(value) !== null, {
        error: (issue) => `must be ${description}, like https://example.com (got "${String(issue.input)}")`,
      }),
  );
}

function commaList(value: string | undefined): string[] {
  return value
    ? value
        .split(",")
        .map((item) => item.trim())
        .filter(Boolean)
    : [];
}

/** Comma-separated Discord ids, each optionally named: `123456789012345678=Moderators`. */
function accessTargets(kind: "server" | "role", max: number) {
  const example = kind === "server" ? "613425648685547541=My server" : "613425648685547542=Moderator";
  return optionalText.pipe(
    z
      .string()
      .optional()
      .transform((value, context): AccessTarget[] => {
        const targets: AccessTarget[] = [];
        for (const entry of commaList(value)) {
          const match = /^(\d{17,20})\s*(?:=\s*(.{1,100}))?$/.exec(entry);
          if (!match) {
            context.addIssue({
              code: "custom",
              message: `"${entry.slice(0, 40)}" is not a ${kind} id: use Discord ids, each optionally named, like ${example}`,
            });
            return z.NEVER;
          }
          if (!targets.some((target) => target.id === match[1]))
            targets.push({ id: match[1]!, label: match[2]?.trim() || null });
        }
        if (targets.length > max) {
          context.addIssue({
            code: "custom",
            message: `lists ${targets.length} ${kind}s; at most ${max} ${max === 1 ? "is" : "are"} supported`,
          });
          return z.NEVER;
        }
        return targets;
      }),
  );
}

/** The only values NODE_ENV may have (or be unset); anything else, "Production" included, is refused. */
export const NODE_ENVS = ["development", "production", "test"] as const;

const environmentSchema = z.object({
  NODE_ENV: optionalText.pipe(
    z
      .enum(NODE_ENVS, {
        error: (issue) => `must be development, production or test (got "${String(issue.input)}")`,
      })
      .default("development"),
  ),
  LOG_LEVEL: optionalText.pipe(
    z
      .enum(["debug", "info", "warn", "error", "silent"], {
        error: (issue) => `must be debug, info, warn, error or silent (got "${String(issue.input)}")`,
      })
      .default("info"),
  ),
  PORT: optionalText.pipe(
    z
      .string()
      .regex(/^\d{1,5}$/, { error: (issue) => `must be a port number from 1 to 65535 (got "${String(issue.input)}")` })
      .transform(Number)
      .refine((port) => port >= 1 && port <= 65535, { error: "must be a port number from 1 to 65535" })
      .default(3000),
  ),
  APP_URL: origin("an http(s) origin with no path"),
  // Read by remix-serve, which listens there: a name it cannot resolve crashed it.
  HOST: optionalText.pipe(
    z
      .string()
      .optional()
      .refine((host) => host === undefined || host === "localhost" || isIP(host) !== 0, {
        error: (issue) =>
          `must be an IP address of this machine to listen on, like 127.0.0.1, ::1 or 0.0.0.0 (got "${String(issue.input)}")`,
      }),
  ),
  TRUST_PROXY: optionalText.pipe(
    z
      .string()
      .regex(/^\d{1,2}$/, {
        error: (issue) => `must be the number of proxies in front of the app, like 1 (got "${String(issue.input)}")`,
      })
      .transform(Number)
      .default(0),
  ),
  DATABASE_URL: optionalText.pipe(
    z
      .string({ error: "is required: a postgres:// connection string (npm start provides one when unset)" })
      .refine(isPostgresUrl, { error: "must be a postgres:// or postgresql:// connection string" }),
  ),
  DATABASE_LISTEN_URL: optionalText.pipe(
    z
      .string()
      .optional()
      .refine((value) => value === undefined || isPostgresUrl(value), {
        error: "must be a postgres:// or postgresql:// connection string",
      }),
  ),
  SESSION_CACHE_MAX_SESSIONS: wholeNumber("a number of sessions, 0 to turn the cache off", 0, 10_000_000, 100_000),
  SESSION_CACHE_MAX_MB: wholeNumber("a number of megabytes", 1, 100_000, 64),
  SESSION_CACHE_MAX_AGE_SECONDS: wholeNumber("a number of seconds", 1, 86_400, 60),
  GUILD_CACHE_MAX_MB: wholeNumber("a number of megabytes", 1, 100_000, 16),
  DATABASE_POOL_SIZE: optionalText.pipe(
    z
      .string()
      .regex(/^\d{1,4}$/, {
        error: (issue) => `must be a number of connections, like 10 (got "${String(issue.input)}")`,
      })
      .transform(Number)
      .refine((size) => size >= 2 && size <= 1000, { error: "must be from 2 to 1000 connections" })
      .default(10),
  ),
  SESSION_SECRET: optionalText.pipe(
    z
      .string({
        error: "is required (try: openssl rand -base64 32; npm start provides a throwaway one on this machine)",
      })
      .refine((value) => commaList(value).length > 0 && commaList(value).every((secret) => secret.length >= 32), {
        error: "each comma-separated secret must be at least 32 characters (try: openssl rand -base64 32)",
      }),
  ),
  TOKEN_ENCRYPTION_KEY: optionalText.pipe(
    z
      .string({
        error: "is required (try: openssl rand -base64 32; npm start provides a throwaway one on this machine)",
      })
      .refine((value) => encryptionKeysFrom(value) !== null, {
        error: "each comma-separated key must be 32 bytes in base64 (try: openssl rand -base64 32)",
      }),
  ),
  SESSION_MAX_AGE_DAYS: optionalText.pipe(
    z
      .string()
      .regex(/^\d+(\.\d+)?$/, { error: (issue) => `must be a number of days, like 30 (got "${String(issue.input)}")` })
      .transform(Number)
      .refine((days) => days > 0 && days <= 400, {
        error: "must be more than 0 and at most 400 days (browsers cap cookies at 400)",
      })
      .default(30),
  ),
  RATE_LIMIT_LOGINS_PER_MINUTE: requestsPerMinute(20),
  RATE_LIMIT_ACTIONS_PER_MINUTE: requestsPerMinute(30),
  DISCORD_CLIENT_ID: optionalText.pipe(
    z
      .string({ error: "is required: your Discord application's client id (npm start runs the emulator when unset)" })
      .regex(/^\d{1,25}$/, { error: "must be the numeric client id of your Discord application" }),
  ),
  DISCORD_CLIENT_SECRET: optionalText.pipe(
    z.string({ error: "is required: your Discord application's client secret" }),
  ),
  DISCORD_SCOPES: optionalText.pipe(
    z
      .string()
      .default("identify email guilds")
      .refine((value) => value.split(/\s+/).every((scope) => /^[a-z0-9._]+$/.test(scope)), {
        error: (issue) => `must be space-separated Discord scopes (got "${String(issue.input)}")`,
      })
      .refine((value) => value.split(/\s+/).includes("identify"), {
        error: "must include identify, which login needs to know who the user is",
      }),
  ),
  DISCORD_BASE_URL: origin("an http(s) origin"),
  DISCORD_CDN_URL: origin("an http(s) origin"),
  DISCORD_TIMEOUT_MS: optionalText.pipe(
    z
      .string()
      .regex(/^\d+$/, { error: (issue) => `must be a whole number of milliseconds (got "${String(issue.input)}")` })
      .transform(Number)
      .refine((ms) => ms >= 100 && ms <= 120_000, { error: "must be between 100 and 120000 milliseconds" })
      .default(10_000),
  ),
  DISCORD_PUBLIC_KEY: optionalText.pipe(
    z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, { error: "must be the 64 hex characters of your application's public key" })
      .optional(),
  ),
  ACCESS_GUILD_IDS: accessTargets("server", 10),
  ACCESS_ROLE_IDS: accessTargets("role", 50),
  // Under a minute only to watch the rules work (each check is a call to Discord).
  ACCESS_RECHECK_MINUTES: optionalText.pipe(
    z
      .string()
      .regex(/^\d{1,4}(\.\d{1,3})?$/, {
        error: (issue) => `must be a number of minutes, like 10 (got "${String(issue.input)}")`,
      })
      .transform(Number)
      .refine((minutes) => minutes >= 0.1 && minutes <= 1440, { error: "must be from 0.1 to 1440 minutes" })
      .default(10),
  ),
  ACCESS_GRACE_MINUTES: wholeNumber("a number of minutes, 0 to refuse as soon as Discord fails", 0, 10_080, 60),
  ACCESS_INVITE_URL: optionalText.pipe(
    z
      .string()
      .optional()
      .refine((value) => value === undefined || isPublicLink(value), {
        error: (issue) => `must be an https link, like https://discord.gg/abc123 (got "${String(issue.input)}")`,
      }),
  ),
  // Discord's bot tokens: three base64url parts separated by dots. Never echoed.
  DISCORD_BOT_TOKEN: optionalText.pipe(
    z
      .string()
      .regex(/^[\w-]{16,}\.[\w-]{4,}\.[\w-]{20,}$/, {
        error: "must be your application's bot token, as the Developer Portal shows it (Bot, Reset Token)",
      })
      .optional(),
  ),
  DISCORD_BOT_PERMISSIONS: optionalText.pipe(
    z
      .string()
      .regex(/^\d{1,16}$/, {
        error: (issue) => `must be a decimal permission integer, like 3072 (got "${String(issue.input)}")`,
      })
      .transform((value) => BigInt(value))
      .refine((value) => value < 1n << 53n, { error: "must be below 2^53: Discord defines no higher permission" })
      .optional(),
  ),
  JOIN_GUILD_ID: accessTargets("server", 1),
  LINKED_ROLES: optionalText.pipe(
    z
      .enum(["true", "false"], { error: (issue) => `must be true or false (got "${String(issue.input)}")` })
      .default("false")
      .transform((value) => value === "true"),
  ),
  JOIN_ROLE_IDS: accessTargets("role", 10),
  DASHBOARD_RECHECK_SECONDS: wholeNumberOrUnset("a number of seconds", 10, 3_600),
  DISCORD_BOT_INSTANCES: wholeNumberOrUnset("the number of instances sharing the bot token", 1, 64),
  DISCORD_EMULATOR: optionalText.pipe(
    z
      .enum(["true", "false"], { error: (issue) => `must be true or false (got "${String(issue.input)}")` })
      .default("false")
      .transform((value) => value === "true"),
  ),
});

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

/** Validates an environment. Never throws; never echoes secret values in problems. */
/**
 * systemd's EnvironmentFile= (the guide's settings file) keeps a "# …" after a value as
 * part of it: `APP_URL=https://x # the origin` is the value "https://x # the origin". No
 * setting has a use for whitespace followed by "#", so that is named, without the value
 * (it may be a secret), rather than refused for a reason that hides the cause, or taken
 * silently into a secret.
 */
function trailingComments(env: Record<string, string | undefined>): string[] {
  return Object.keys(environmentSchema.shape)
    .filter((name) => /\s#/.test(env[name] ?? ""))
    .map(
      (name) =>
        `${name}: ends with what looks like a comment (a "#" after a space), which systemd's EnvironmentFile keeps as part of the value: put comments on lines of their own`,
    );
}

export function parseConfig(env: Record<string, string | undefined>): ConfigResult {
  const comments = trailingComments(env);
  if (comments.length > 0) return { ok: false, problems: comments };
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => `${String(issue.path[0])}: ${issue.message}`),
    };
  }
  const vars = parsed.data;
  const baseUrl = toOrigin(vars.DISCORD_BASE_URL ?? REAL_DISCORD_ORIGIN)!;
  const appUrl = toOrigin(vars.APP_URL ?? `http://localhost:${vars.PORT}`)!;

  // The same checks in every mode: an unset (or any) NODE_ENV relaxes nothing. Plain http
  // is only for traffic that never leaves this machine: it would carry session cookies,
  // the client secret and tokens in the clear.
  const problems: string[] = [];
  if (!baseUrl.startsWith("https:") && !isLoopback(baseUrl)) {
    problems.push("DISCORD_BASE_URL: must be https (it carries the client secret and tokens), or on this machine");
  }
  if (!appUrl.startsWith("https:") && !isLoopback(appUrl)) {
    problems.push("APP_URL: must be https, so session cookies are Secure (plain http only for localhost)");
  }
  // The emulator is told, never inferred: only the launcher that started it says so, and
  // it only runs on this machine, for this machine.
  if (vars.DISCORD_EMULATOR && !(isLoopback(baseUrl) && isLoopback(appUrl))) {
    problems.push(
      "DISCORD_EMULATOR: the emulator is for this machine only: DISCORD_BASE_URL and APP_URL must be loopback origins",
    );
  }
  const access = accessRulesFrom(vars, problems);
  const dashboard = dashboardFrom(vars, problems);
  const join = joinFrom(vars, access, problems);
  if (vars.LINKED_ROLES && !vars.DISCORD_BOT_TOKEN) {
    problems.push(
      "LINKED_ROLES: the metadata is registered and checked with the bot's token, so it takes DISCORD_BOT_TOKEN; set that too",
    );
  }
  if (problems.length > 0) return { ok: false, problems };
  // The rules are checked at login, so their scope is asked there. The servers page and the
  // dashboard ask for theirs when first opened (auth/more-access.server.ts).
  const scopes = vars.DISCORD_SCOPES.split(/\s+/);

  return {
    ok: true,
    config: {
      nodeEnv: vars.NODE_ENV,
      logLevel: vars.LOG_LEVEL,
      port: vars.PORT,
      appUrl,
      secureCookies: appUrl.startsWith("https:"),
      trustProxyHops: vars.TRUST_PROXY,
      rateLimits: {
        loginsPerMinute: vars.RATE_LIMIT_LOGINS_PER_MINUTE,
        actionsPerMinute: vars.RATE_LIMIT_ACTIONS_PER_MINUTE,
      },
      databaseUrl: vars.DATABASE_URL,
      databasePoolSize: vars.DATABASE_POOL_SIZE,
      databaseListenUrl: vars.DATABASE_LISTEN_URL ?? vars.DATABASE_URL,
      caches: {
        maxSessions: vars.SESSION_CACHE_MAX_SESSIONS,
        maxSessionMb: vars.SESSION_CACHE_MAX_MB,
        sessionMaxAgeSeconds: vars.SESSION_CACHE_MAX_AGE_SECONDS,
        maxGuildMb: vars.GUILD_CACHE_MAX_MB,
      },
      sessionSecrets: commaList(vars.SESSION_SECRET),
      sessionMaxAgeMs: vars.SESSION_MAX_AGE_DAYS * 24 * 60 * 60 * 1000,
      // The schema has already checked every key, so this cannot be null.
      tokenEncryptionKeys: encryptionKeysFrom(vars.TOKEN_ENCRYPTION_KEY)!,
      discord: {
        clientId: vars.DISCORD_CLIENT_ID,
        clientSecret: vars.DISCORD_CLIENT_SECRET,
        scopes: [
          ...new Set([
            ...scopes,
            ...(access?.addedScopes ?? []),
            ...(join?.when === "first_sign_in" ? [JOIN_SCOPE] : []),
          ]),
        ],
        baseUrl,
        cdnUrl: toOrigin(vars.DISCORD_CDN_URL ?? "https://cdn.discordapp.com")!,
        publicKey: vars.DISCORD_PUBLIC_KEY?.toLowerCase() ?? null,
        timeoutMs: vars.DISCORD_TIMEOUT_MS,
      },
      usingEmulator: vars.DISCORD_EMULATOR,
      access,
      dashboard,
      join,
      linkedRoles: vars.LINKED_ROLES,
    },
  };
}

type EnvironmentVariables = z.infer<typeof environmentSchema>;

/**
 * The access rules, or null when ACCESS_GUILD_IDS is empty. Membership is read from the
 * server list (the `guilds` scope); roles only from the member endpoint, which needs
 * `guilds.members.read`: whichever the rules need is added to the scopes asked for.
 */
function accessRulesFrom(vars: EnvironmentVariables, problems: string[]): AccessRules | null {
  const guilds = vars.ACCESS_GUILD_IDS;
  if (guilds.length === 0) {
    // A rule without servers would be silently ignored: more likely a mistake than a wish.
    for (const name of ["ACCESS_ROLE_IDS", "ACCESS_INVITE_URL"] as const) {
      if (vars[name]?.length) problems.push(`${name}: has no effect without ACCESS_GUILD_IDS; set that too`);
    }
    return null;
  }
  const roles = vars.ACCESS_ROLE_IDS;
  const needed = roles.length > 0 ? "guilds.members.read" : "guilds";
  const listed = vars.DISCORD_SCOPES.split(/\s+/);
  return {
    guilds,
    roles,
    recheckMs: vars.ACCESS_RECHECK_MINUTES * 60_000,
    graceMs: vars.ACCESS_GRACE_MINUTES * 60_000,
    inviteUrl: vars.ACCESS_INVITE_URL ?? null,
    addedScopes: listed.includes(needed) ? [] : [needed],
  };
}

/** The dashboard's settings, or null without a bot token (the others then mean nothing, and are refused). */
function dashboardFrom(vars: EnvironmentVariables, problems: string[]): DashboardSettings | null {
  if (!vars.DISCORD_BOT_TOKEN) {
    for (const name of ["DISCORD_BOT_PERMISSIONS", "DASHBOARD_RECHECK_SECONDS", "DISCORD_BOT_INSTANCES"] as const) {
      if (vars[name] !== undefined) problems.push(`${name}: has no effect without DISCORD_BOT_TOKEN; set that too`);
    }
    return null;
  }
  return {
    botToken: vars.DISCORD_BOT_TOKEN,
    botPermissions: vars.DISCORD_BOT_PERMISSIONS ?? DEFAULT_BOT_PERMISSIONS,
    recheckMs: (vars.DASHBOARD_RECHECK_SECONDS ?? 60) * 1_000,
    instances: vars.DISCORD_BOT_INSTANCES ?? 2,
  };
}

/** The scope that lets the bot add a person to a server with their access token. */
export const JOIN_SCOPE = "guilds.join";

/**
 * Joining at sign-in, or null without JOIN_GUILD_ID. The bot adds people, so it takes
 * DISCORD_BOT_TOKEN. With members-only rules, joining is offered to people refused for not
 * being in the server, so it must be a server the rules name, and its roles must let them in.
 */
function joinFrom(vars: EnvironmentVariables, access: AccessRules | null, problems: string[]): JoinSettings | null {
  const [guild] = vars.JOIN_GUILD_ID;
  const roles = vars.JOIN_ROLE_IDS.map((role) => role.id);
  if (!guild) {
    if (roles.length > 0) problems.push("JOIN_ROLE_IDS: has no effect without JOIN_GUILD_ID; set that too");
    return null;
  }
  if (!vars.DISCORD_BOT_TOKEN) {
    problems.push("JOIN_GUILD_ID: the bot adds people to the server, so it takes DISCORD_BOT_TOKEN; set that too");
  }
  if (access && !access.guilds.some((required) => required.id === guild.id)) {
    problems.push(
      "JOIN_GUILD_ID: with ACCESS_GUILD_IDS set, joining is offered to people refused for not being a member, so it must be one of those servers",
    );
  }
  if (access && access.roles.length > 0 && !access.roles.some((required) => roles.includes(required.id))) {
    problems.push(
      "JOIN_ROLE_IDS: ACCESS_ROLE_IDS requires a role, so people who join must be given one of those roles, or joining would not let them in",
    );
  }
  // The server's name as the access rules give it, when JOIN_GUILD_ID gives none.
  const label = guild.label ?? access?.guilds.find((required) => required.id === guild.id)?.label ?? null;
  return { guild: { id: guild.id, label }, roles, when: access ? "offered" : "first_sign_in" };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(formatProblems(problems));
    this.name = "ConfigError";
  }
}

export function formatProblems(problems: string[]): string {
  const noun = problems.length === 1 ? "problem" : "problems";
  return [
    `Invalid configuration (${problems.length} ${noun}):`,
    ...problems.map((problem) => `  - ${problem}`),
    "See .env.example for every variable, its meaning and its default.",
  ].join("\n");
}

let cached: Config | undefined;

/** The process's configuration, validated on first use; throws ConfigError listing every problem. */
export function getConfig(): Config {
  if (cached) return cached;
  const result = parseConfig(process.env);
  if (!result.ok) throw new ConfigError(result.problems);
  cached = result.config;
  return cached;
}

function toOrigin(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  const bare = url.pathname === "/" && !url.search && !url.hash && !url.username && !url.password;
  if (!bare || (url.protocol !== "http:" && url.protocol !== "https:")) return null;
  return url.origin;
}

/** An absolute https link (http only on this machine), for people to follow. */
function isPublicLink(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || (url.protocol === "http:" && isLoopback(url.origin));
  } catch {
    return false;
  }
}

export function isLoopback(origin: string): boolean {
  const { hostname } = new URL(origin);
  return hostname === "localhost" || hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname);
}

export function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "postgres:" || url.protocol === "postgresql:") && url.hostname !== "";
  } catch {
    return false;
  }
}

function isBase64Key(value: string): boolean {
  return /^[A-Za-z0-9+/]+={0,2}$/.test(value) && Buffer.from(value, "base64").length === 32;
}

/** TOKEN_ENCRYPTION_KEY's comma-separated base64 keys, newest first; null if any is not 32 bytes. */
export function encryptionKeysFrom(value: string): EncryptionKey[] | null {
  const keys = commaList(value);
  if (keys.length === 0 || !keys.every(isBase64Key)) return null;
  return keys.map((key) => toEncryptionKey(Buffer.from(key, "base64")));
}

function toEncryptionKey(key: Buffer): EncryptionKey {
  return { id: keyId(key), key };
}

function keyId(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 8);
}
