import { describeRequiredServers } from "~/access/required-servers.server";
import { accessRulesSummary } from "~/access/rules-view.server";
import { ConfigError, formatProblems, getConfig, type Config } from "~/config.server";
import { checkJoinServer } from "~/community/join.server";
import { checkRoleConnectionMetadata } from "~/community/linked-roles.server";
import { botTokenProblems } from "~/dashboard/bot.server";
import { getDb, type DB } from "~/db/db.server";
import { purgeExpired } from "~/db/purge.server";
import { limitGuildCache } from "~/discord/guild-cache.server";
import {
  purgeSigningSecrets,
  recordSigningSecret,
  registerTokenKey,
  signingSecretsMissing,
  tokenKeysMissing,
} from "~/models/secret-checks.server";
import { startSessionEvents } from "~/models/session-events.server";
import { log } from "~/utils/logger.server";

/**
 * Everything an instance proves before it serves a request (entry.server.tsx awaits it as
 * the server loads the build). Each failure is a refusal to start, one line per problem,
 * never a quiet fallback:
 * - the configuration is valid (app/config.server.ts);
 * - it runs with server/preload.cjs, without which it could not tell clients apart and
 *   remix-serve's own access log would record full URLs, OAuth codes included
 *   (docs/decisions/009-remix-serve-with-preloads.md);
 * - its TOKEN_ENCRYPTION_KEY opens everything the instances before it sealed, and its
 *   SESSION_SECRET verifies every cookie the others still sign: a mismatch would
 *   otherwise end people's grants and sessions (migrations/0005_secret_checks.ts);
 * - Discord accepts its DISCORD_BOT_TOKEN, when it has one.
 */
export async function startInstance(): Promise<void> {
  const config = configOrExit();
  const refusals = preloadProblems();
  if (refusals.length === 0) refusals.push(...(await secretProblems(getDb(), config)));
  if (refusals.length > 0) refuseToStart(REFUSING, refusals);
  const problems = await botTokenProblems(config);
  if (problems.length > 0) refuseToStart(INVALID_CONFIGURATION, problems);
  startSessionEvents(config, getDb());
  limitGuildCache(config.caches.maxGuildMb * 1024 * 1024);
  log.info("starting", {
    app_url: config.appUrl,
    database_pool_size: config.databasePoolSize,
    discord: config.usingEmulator ? `emulator at ${config.discord.baseUrl}` : config.discord.baseUrl,
    trust_proxy: config.trustProxyHops,
    session_cache:
      config.caches.maxSessions > 0 ? `${config.caches.maxSessions} sessions, ${config.caches.maxSessionMb} MB` : "off",
    access: config.access ? accessRulesSummary(config.access) : "anyone with a Discord account",
    bot_dashboard: config.dashboard ? `on, ${config.dashboard.instances} instances share the bot's limits` : "off",
    join_server: config.join
      ? `${config.join.guild.id}, ${config.join.when === "first_sign_in" ? "at each person's first sign-in" : "offered to people refused for not being a member"}`
      : "off",
    linked_roles: config.linkedRoles ? `on, verification URL ${config.appUrl}/linked-roles` : "off",
  });
  // Names and icons of the required servers for the pages that name them, found while the
  // instance starts rather than at someone's first page (never fails: they show ids instead).
  if (config.access) void describeRequiredServers(config.access, config.discord, config.discord.cdnUrl);
  // Whether the bot can add people there is known before the first person signs in.
  if (config.join) void checkJoinServer(config.join);
  if (config.linkedRoles) void checkRoleConnectionMetadata(config);
  if (config.access?.addedScopes.length) {
    // Said once, plainly: people will see Discord ask for it on the consent page.
    log.info("access rules add scopes to the login", {
      added: config.access.addedScopes.join(" "),
      why:
        config.access.roles.length > 0
          ? "roles are read from the member endpoint"
          : "membership is read from the server list",
      scopes: config.discord.scopes.join(" "),
    });
  }
  scheduleHousekeeping(config);
}

function configOrExit(): Config {
  try {
    return getConfig();
  } catch (error) {
    if (error instanceof ConfigError) refuseToStart(INVALID_CONFIGURATION, error.problems);
    throw error;
  }
}

const REFUSING = "Refusing to start";
const INVALID_CONFIGURATION = "Invalid configuration";

/**
 * Says why, then exits 1. In production under a service manager (no terminal) that is one
 * JSON line on stdout, the stream and shape of every other log line (the configuration may
 * be what failed, so not through the logger); in a terminal, the text on stderr.
 */
function refuseToStart(kind: typeof REFUSING | typeof INVALID_CONFIGURATION, problems: string[]): never {
  if (process.env.NODE_ENV === "production" && !process.stdout.isTTY) {
    const see = kind === INVALID_CONFIGURATION ? ".env.example" : undefined;
    const line = { time: new Date().toISOString(), level: "error", msg: kind, problems, see };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  } else {
    console.error(kind === REFUSING ? formatRefusal(problems) : formatProblems(problems));
  }
  process.exit(1);
}

/**
 * A refusal that is no mistake in the settings file (the instance disagrees with the
 * others, or is started the wrong way): each problem says its own way out, so no pointer
 * to .env.example.
 */
export function formatRefusal(problems: string[]): string {
  return ["Refusing to start:", ...problems.map((problem) => `  - ${problem}`)].join("\n");
}

const PRELOADED = Symbol.for("remix-discord-login.preloaded");

function preloadProblems(): string[] {
  if ((globalThis as Record<symbol, unknown>)[PRELOADED]) return [];
  return [
    "server/preload.cjs: not loaded, so the app cannot tell clients apart (rate limits, the sessions page) and remix-serve would log full URLs, OAuth codes included. Start it with npm start, or: node --require ./server/preload.cjs node_modules/@remix-run/serve/dist/cli.js build/index.js",
  ];
}

/** Retries while Postgres is starting too (say, both in one deployment), then gives up. */
const DATABASE_WAIT_MS = 30_000;

async function secretProblems(db: DB, config: Config): Promise<string[]> {
  const deadline = Date.now() + DATABASE_WAIT_MS;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await checkSecrets(db, config);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === "42P01") return ["DATABASE_URL: the database is not migrated; run npm run db:migrate first"];
      const unreachable = error instanceof Response && error.status === 503;
      if (!unreachable || Date.now() > deadline) {
        const reason = error instanceof Error ? error.message : "the database cannot be reached";
        return [`DATABASE_URL: the instance could not check its secrets against the database (${reason})`];
      }
      if (attempt === 0) log.warn("waiting for the database before starting");
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

/**
 * The instance's key set against what is stored, and its secrets against the other
 * instances': the problems, one line each, or none (and then the instance's newest key and
 * secret are recorded as in use).
 */
export async function checkSecrets(db: DB, config: Config): Promise<string[]> {
  const problems: string[] = [];
  for (const id of await tokenKeysMissing(db, config.tokenEncryptionKeys)) {
    problems.push(
      `TOKEN_ENCRYPTION_KEY: has no key with id ${id}, which sealed Discord tokens stored here. Add it back after the newest key (then npm run tokens:reseal moves everything to the newest); if it is lost for good: npm run tokens:reseal -- --forget-unreadable`,
    );
  }
  const liveSince = new Date(Date.now() - config.sessionMaxAgeMs);
  for (const { id, lastUsedAt } of await signingSecretsMissing(db, config.sessionSecrets, liveSince)) {
    const until = new Date(lastUsedAt.getTime() + config.sessionMaxAgeMs).toISOString().replace(/\.\d+Z$/, "Z");
    problems.push(
      `SESSION_SECRET: lacks the secret (check ${id}) another instance signed cookies with at ${lastUsedAt.toISOString()}; those cookies live until ${until}, so until then (later, if an instance still signs with it) every instance needs it. Either give this instance the same secrets as the others, newest first; or, if that secret is lost or leaked: npm run sessions:retire-secrets -- --yes (logs everyone out), then start every instance with the new SESSION_SECRET alone`,
    );
  }
  // Recorded only once this instance agrees: a refused instance registers nothing that
  // would then refuse the others.
  if (problems.length > 0) return problems;
  await registerTokenKey(db, config.tokenEncryptionKeys[0]!);
  await recordSigningSecret(db, config.sessionSecrets[0]!);
  return [];
}

const HOUSEKEEPING_EVERY_MS = 15 * 60_000;

/**
 * Every quarter of an hour, from a random start so instances do not all run at once:
 * expired rows go, this instance's signing secret is marked in use, and a disagreement
 * that appeared since it started (another instance started with other secrets) is
 * logged. The timer never keeps a stopping process alive.
 */
function scheduleHousekeeping(config: Config): void {
  const run = async () => {
    const db = getDb();
    try {
      const purged = await purgeExpired(db);
      if (purged.sessions + purged.loginAttempts + purged.rateLimitWindows > 0)
        log.info("purged expired rows", { ...purged });
      await purgeSigningSecrets(db, new Date(Date.now() - config.sessionMaxAgeMs));
      const problems = await checkSecrets(db, config);
      for (const problem of problems) log.error("this instance disagrees with another about secrets", { problem });
    } catch (error) {
      log.warn("housekeeping failed; will try again", {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  };
  setTimeout(() => {
    void run();
    setInterval(() => void run(), HOUSEKEEPING_EVERY_MS).unref();
  }, Math.random() * HOUSEKEEPING_EVERY_MS).unref();
}
