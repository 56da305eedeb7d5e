import { describe, expect, it } from "vitest";
import { formatProblems, parseConfig, type ConfigResult } from "./config.server";

const key32 = Buffer.alloc(32, 7).toString("base64");
const otherKey32 = Buffer.alloc(32, 9).toString("base64");
const secret = "s".repeat(32);

const minimal = {
  DATABASE_URL: "postgres://postgres@127.0.0.1:5432/app",
  DISCORD_CLIENT_ID: "1290000000000000001",
  DISCORD_CLIENT_SECRET: "shh",
  SESSION_SECRET: secret,
  TOKEN_ENCRYPTION_KEY: key32,
};

function ok(result: ConfigResult) {
  if (!result.ok) throw new Error(`expected a valid config, got:\n${result.problems.join("\n")}`);
  return result.config;
}

function problems(result: ConfigResult) {
  if (result.ok) throw new Error("expected problems, got a valid config");
  return result.problems;
}

describe("parseConfig", () => {
  it("applies the documented defaults", () => {
    const config = ok(parseConfig(minimal));
    expect(config.nodeEnv).toBe("development");
    expect(config.port).toBe(3000);
    expect(config.appUrl).toBe("http://localhost:3000");
    expect(config.secureCookies).toBe(false);
    expect(config.discord.scopes).toEqual(["identify", "email", "guilds"]);
    expect(config.discord.baseUrl).toBe("https://discord.com");
    expect(config.discord.cdnUrl).toBe("https://cdn.discordapp.com");
    expect(config.discord.publicKey).toBeNull();
    expect(config.discord.timeoutMs).toBe(10_000);
    expect(config.sessionMaxAgeMs).toBe(30 * 24 * 60 * 60 * 1000);
    expect(config.usingEmulator).toBe(false);
    expect(config.trustProxyHops).toBe(0);
    expect(config.databasePoolSize).toBe(10);
  });

  it("reads the pool size, and names a bad one", () => {
    expect(ok(parseConfig({ ...minimal, DATABASE_POOL_SIZE: "25" })).databasePoolSize).toBe(25);
    expect(problems(parseConfig({ ...minimal, DATABASE_POOL_SIZE: "1" }))).toEqual([
      "DATABASE_POOL_SIZE: must be from 2 to 1000 connections",
    ]);
    expect(problems(parseConfig({ ...minimal, DATABASE_POOL_SIZE: "lots" }))).toEqual([
      'DATABASE_POOL_SIZE: must be a number of connections, like 10 (got "lots")',
    ]);
  });

  it("reads rate limits per minute, 0 turning one off, and names a bad one", () => {
    expect(ok(parseConfig(minimal)).rateLimits).toEqual({ loginsPerMinute: 20, actionsPerMinute: 30 });
    const tuned = ok(
      parseConfig({ ...minimal, RATE_LIMIT_LOGINS_PER_MINUTE: "0", RATE_LIMIT_ACTIONS_PER_MINUTE: " 5 " }),
    );
    expect(tuned.rateLimits).toEqual({ loginsPerMinute: 0, actionsPerMinute: 5 });
    expect(
      problems(parseConfig({ ...minimal, RATE_LIMIT_LOGINS_PER_MINUTE: "-1", RATE_LIMIT_ACTIONS_PER_MINUTE: "lots" })),
    ).toEqual([
      'RATE_LIMIT_LOGINS_PER_MINUTE: must be a number of requests per minute, 0 to turn it off (got "-1")',
      'RATE_LIMIT_ACTIONS_PER_MINUTE: must be a number of requests per minute, 0 to turn it off (got "lots")',
    ]);
  });

  it("derives APP_URL from PORT and normalises origins", () => {
    expect(ok(parseConfig({ ...minimal, PORT: "4123" })).appUrl).toBe("http://localhost:4123");
    const config = ok(parseConfig({ ...minimal, APP_URL: "https://auth.example.com/" }));
    expect(config.appUrl).toBe("https://auth.example.com");
    expect(config.secureCookies).toBe(true);
  });

  it("names every bad variable on its own line", () => {
    const found = problems(
      parseConfig({
        PORT: "70000",
        APP_URL: "https://example.com/app",
        DATABASE_URL: "nonsense",
        DISCORD_SCOPES: "email guilds",
      }),
    );
    expect(found).toEqual([
      expect.stringMatching(/^PORT: must be a port number/),
      expect.stringMatching(/^APP_URL: must be an http\(s\) origin with no path/),
      expect.stringMatching(/^DATABASE_URL: must be a postgres:\/\//),
      expect.stringMatching(/^SESSION_SECRET: is required/),
      expect.stringMatching(/^TOKEN_ENCRYPTION_KEY: is required/),
      expect.stringMatching(/^DISCORD_CLIENT_ID: is required/),
      expect.stringMatching(/^DISCORD_CLIENT_SECRET: is required/),
      expect.stringMatching(/^DISCORD_SCOPES: must include identify/),
    ]);
  });

  it("explains a missing DATABASE_URL", () => {
    const { DATABASE_URL: _omitted, ...rest } = minimal;
    expect(problems(parseConfig(rest))).toEqual([expect.stringMatching(/^DATABASE_URL: is required/)]);
  });

  it("never echoes secret values", () => {
    const found = problems(
      parseConfig({
        ...minimal,
        SESSION_SECRET: "short-secret-value",
        TOKEN_ENCRYPTION_KEY: "not-a-key-value",
        DATABASE_URL: "mysql://user:hunter2@db/app",
      }),
    );
    expect(found).toHaveLength(3);
    for (const line of found) {
      expect(line).not.toMatch(/short-secret-value|not-a-key-value|hunter2/);
    }
  });

  it("rejects malformed Discord values", () => {
    const found = problems(
      parseConfig({
        ...minimal,
        DISCORD_CLIENT_ID: "abc",
        DISCORD_PUBLIC_KEY: "xyz",
        DISCORD_BASE_URL: "ftp://discord.com",
        NODE_ENV: "staging",
      }),
    );
    expect(found.map((line) => line.split(":")[0])).toEqual([
      "NODE_ENV",
      "DISCORD_CLIENT_ID",
      "DISCORD_BASE_URL",
      "DISCORD_PUBLIC_KEY",
    ]);
  });

  it.each(["Production", "prod", "dev"])("refuses NODE_ENV=%j: only exactly a known mode is one", (NODE_ENV) => {
    expect(problems(parseConfig({ ...minimal, NODE_ENV }))).toEqual([
      `NODE_ENV: must be development, production or test (got "${NODE_ENV}")`,
    ]);
  });

  it("reads how many proxies to trust", () => {
    expect(ok(parseConfig({ ...minimal, TRUST_PROXY: "2" })).trustProxyHops).toBe(2);
    expect(problems(parseConfig({ ...minimal, TRUST_PROXY: "true" }))).toEqual([
      expect.stringMatching(/^TRUST_PROXY: must be the number of proxies/),
    ]);
  });

  it("validates the session lifetime and the Discord timeout", () => {
    expect(ok(parseConfig({ ...minimal, SESSION_MAX_AGE_DAYS: "0.5" })).sessionMaxAgeMs).toBe(12 * 60 * 60 * 1000);
    expect(ok(parseConfig({ ...minimal, DISCORD_TIMEOUT_MS: "2500" })).discord.timeoutMs).toBe(2500);
    expect(problems(parseConfig({ ...minimal, SESSION_MAX_AGE_DAYS: "0", DISCORD_TIMEOUT_MS: "fast" }))).toEqual([
      expect.stringMatching(/^SESSION_MAX_AGE_DAYS: must be more than 0/),
      expect.stringMatching(/^DISCORD_TIMEOUT_MS: must be a whole number/),
    ]);
    expect(problems(parseConfig({ ...minimal, SESSION_MAX_AGE_DAYS: "401" }))).toEqual([
      expect.stringMatching(/^SESSION_MAX_AGE_DAYS: .*at most 400 days/),
    ]);
  });

  it("requires the secrets in every mode: an unset NODE_ENV relaxes nothing", () => {
    const { SESSION_SECRET: _s, TOKEN_ENCRYPTION_KEY: _k, ...withoutSecrets } = minimal;
    for (const NODE_ENV of [undefined, "development", "production", "test"]) {
      expect(problems(parseConfig({ ...withoutSecrets, NODE_ENV })), String(NODE_ENV)).toEqual([
        expect.stringMatching(/^SESSION_SECRET: is required \(try: openssl rand -base64 32; npm start provides/),
        expect.stringMatching(/^TOKEN_ENCRYPTION_KEY: is required/),
      ]);
    }
  });

  it("requires https for Discord and the app in every mode, plain http only on this machine", () => {
    for (const NODE_ENV of [undefined, "production"]) {
      expect(
        problems(
          parseConfig({
            ...minimal,
            NODE_ENV,
            APP_URL: "http://auth.example.com",
            DISCORD_BASE_URL: "http://discord-proxy.internal",
          }),
        ),
      ).toEqual([
        expect.stringMatching(/^DISCORD_BASE_URL: must be https/),
        expect.stringMatching(/^APP_URL: must be https/),
      ]);
    }
    // Traffic that never leaves the machine may be plain http: a production build tried
    // on localhost, or real Discord through a loopback egress proxy.
    const local = ok(
      parseConfig({
        ...minimal,
        NODE_ENV: "production",
        APP_URL: "http://localhost:3000",
        DISCORD_BASE_URL: "http://127.0.0.1:8080",
      }),
    );
    expect(local.secureCookies).toBe(false);
    // ...and is real Discord: the emulator is only ever told, never inferred from a loopback URL.
    expect(local.usingEmulator).toBe(false);
  });

  it("takes the emulator only when told, and only on this machine", () => {
    const emulated = { ...minimal, DISCORD_BASE_URL: "http://127.0.0.1:3001", DISCORD_EMULATOR: "true" };
    expect(ok(parseConfig(emulated)).usingEmulator).toBe(true);
    expect(problems(parseConfig({ ...emulated, APP_URL: "https://auth.example.com" }))).toEqual([
      expect.stringMatching(/^DISCORD_EMULATOR: the emulator is for this machine only/),
    ]);
    expect(problems(parseConfig({ ...emulated, DISCORD_BASE_URL: "https://discord.com" }))).toEqual([
      expect.stringMatching(/^DISCORD_EMULATOR: the emulator is for this machine only/),
    ]);
    expect(problems(parseConfig({ ...minimal, DISCORD_EMULATOR: "yes" }))).toEqual([
      'DISCORD_EMULATOR: must be true or false (got "yes")',
    ]);
  });

  it("keeps rotation lists newest first with stable key ids", () => {
    const config = ok(
      parseConfig({
        ...minimal,
        SESSION_SECRET: `${secret}new, ${secret}old`,
        TOKEN_ENCRYPTION_KEY: `${key32},${otherKey32}`,
      }),
    );
    expect(config.sessionSecrets).toEqual([`${secret}new`, `${secret}old`]);
    expect(config.tokenEncryptionKeys.map((key) => key.key.toString("base64"))).toEqual([key32, otherKey32]);
    const again = ok(parseConfig({ ...minimal, TOKEN_ENCRYPTION_KEY: otherKey32 }));
    expect(again.tokenEncryptionKeys[0]!.id).toBe(config.tokenEncryptionKeys[1]!.id);
    expect(config.tokenEncryptionKeys[0]!.id).not.toBe(config.tokenEncryptionKeys[1]!.id);
  });

  it("treats blank values as unset", () => {
    const config = ok(parseConfig({ ...minimal, PORT: "  ", DISCORD_SCOPES: "", APP_URL: "" }));
    expect(config.port).toBe(3000);
    expect(config.discord.scopes).toEqual(["identify", "email", "guilds"]);
  });
});

describe("formatProblems", () => {
  it("prints one line per problem and points at .env.example", () => {
    expect(formatProblems(["PORT: bad", "DATABASE_URL: bad"]).split("\n")).toEqual([
      "Invalid configuration (2 problems):",
      "  - PORT: bad",
      "  - DATABASE_URL: bad",
      "See .env.example for every variable, its meaning and its default.",
    ]);
  });
});

describe("access rules", () => {
  const HQ = "613425648685547541";
  const MODERATOR = "613425648685547542";

  it("are off unless ACCESS_GUILD_IDS lists a server", () => {
    expect(ok(parseConfig(minimal)).access).toBeNull();
    expect(ok(parseConfig({ ...minimal, ACCESS_GUILD_IDS: " " })).access).toBeNull();
  });

  it("membership alone reads the server list: guilds is asked for when DISCORD_SCOPES lacks it", () => {
    const config = ok(parseConfig({ ...minimal, DISCORD_SCOPES: "identify", ACCESS_GUILD_IDS: HQ }));
    expect(config.access).toEqual({
      guilds: [{ id: HQ, label: null }],
      roles: [],
      recheckMs: 10 * 60_000,
      graceMs: 60 * 60_000,
      inviteUrl: null,
      addedScopes: ["guilds"],
    });
    expect(config.discord.scopes).toEqual(["identify", "guilds"]);
    expect(ok(parseConfig({ ...minimal, ACCESS_GUILD_IDS: HQ })).access?.addedScopes).toEqual([]);
  });

  it("roles need guilds.members.read, added to the default scopes", () => {
    const config = ok(
      parseConfig({
        ...minimal,
        ACCESS_GUILD_IDS: `${HQ}=Emulator HQ, ${HQ}`,
        ACCESS_ROLE_IDS: `${MODERATOR} = Moderator ,613425648685547543`,
        ACCESS_RECHECK_MINUTES: "5",
        ACCESS_GRACE_MINUTES: "0",
        ACCESS_INVITE_URL: "https://discord.gg/abc123",
      }),
    );
    expect(config.access).toEqual({
      guilds: [{ id: HQ, label: "Emulator HQ" }],
      roles: [
        { id: MODERATOR, label: "Moderator" },
        { id: "613425648685547543", label: null },
      ],
      recheckMs: 5 * 60_000,
      graceMs: 0,
      inviteUrl: "https://discord.gg/abc123",
      addedScopes: ["guilds.members.read"],
    });
    expect(config.discord.scopes).toEqual(["identify", "email", "guilds", "guilds.members.read"]);
  });

  it("names each mistake", () => {
    const found = problems(
      parseConfig({
        ...minimal,
        ACCESS_GUILD_IDS: "my-server",
        ACCESS_RECHECK_MINUTES: "0",
        ACCESS_GRACE_MINUTES: "soon",
        ACCESS_INVITE_URL: "http://discord.gg/abc",
      }),
    );
    expect(found).toEqual([
      expect.stringMatching(/^ACCESS_GUILD_IDS: "my-server" is not a server id/),
      "ACCESS_RECHECK_MINUTES: must be from 0.1 to 1440 minutes",
      expect.stringMatching(/^ACCESS_GRACE_MINUTES: must be a number of minutes/),
      expect.stringMatching(/^ACCESS_INVITE_URL: must be an https link/),
    ]);
    const tooMany = Array.from({ length: 11 }, (_, index) => `6134256486855475${String(index).padStart(2, "0")}`);
    expect(problems(parseConfig({ ...minimal, ACCESS_GUILD_IDS: tooMany.join(",") }))).toEqual([
      "ACCESS_GUILD_IDS: lists 11 servers; at most 10 are supported",
    ]);
  });

  it("refuses role and invite settings that would be ignored without servers", () => {
    expect(
      problems(parseConfig({ ...minimal, ACCESS_ROLE_IDS: MODERATOR, ACCESS_INVITE_URL: "https://discord.gg/x" })),
    ).toEqual([
      "ACCESS_ROLE_IDS: has no effect without ACCESS_GUILD_IDS; set that too",
      "ACCESS_INVITE_URL: has no effect without ACCESS_GUILD_IDS; set that too",
    ]);
  });
});

describe("the bot dashboard", () => {
  const BOT_TOKEN = "MTI5MDAwMDAwMDAwMDAwMDAwMQ.vvMY7e.AIxG-T26g5QMrmEG5-9v1HkfpbnIs4kXk8YUGm";

  it("is off without DISCORD_BOT_TOKEN, and its other settings are refused alone", () => {
    expect(ok(parseConfig(minimal)).dashboard).toBeNull();
    expect(
      problems(parseConfig({ ...minimal, DISCORD_BOT_PERMISSIONS: "8", DASHBOARD_RECHECK_SECONDS: "30" })),
    ).toEqual([
      "DISCORD_BOT_PERMISSIONS: has no effect without DISCORD_BOT_TOKEN; set that too",
      "DASHBOARD_RECHECK_SECONDS: has no effect without DISCORD_BOT_TOKEN; set that too",
    ]);
  });

  it("is on with a token, with documented defaults, and leaves the guilds scope to be asked when needed", () => {
    const config = ok(parseConfig({ ...minimal, DISCORD_SCOPES: "identify", DISCORD_BOT_TOKEN: BOT_TOKEN }));
    expect(config.dashboard).toEqual({ botToken: BOT_TOKEN, botPermissions: 3072n, recheckMs: 60_000, instances: 2 });
    expect(config.discord.scopes).toEqual(["identify"]);
    const custom = ok(
      parseConfig({
        ...minimal,
        DISCORD_BOT_TOKEN: BOT_TOKEN,
        DISCORD_BOT_PERMISSIONS: "8",
        DASHBOARD_RECHECK_SECONDS: "15",
        DISCORD_BOT_INSTANCES: "4",
      }),
    );
    expect(custom.dashboard).toMatchObject({ botPermissions: 8n, recheckMs: 15_000, instances: 4 });
  });

  it("names a malformed token without echoing it, and bad numbers with what they must be", () => {
    const found = problems(
      parseConfig({
        ...minimal,
        DISCORD_BOT_TOKEN: "Bot secret-token-pasted-with-its-prefix",
        DISCORD_BOT_PERMISSIONS: "0x800",
        DASHBOARD_RECHECK_SECONDS: "5",
        DISCORD_BOT_INSTANCES: "0",
      }),
    );
    expect(found).toEqual([
      "DISCORD_BOT_TOKEN: must be your application's bot token, as the Developer Portal shows it (Bot, Reset Token)",
      'DISCORD_BOT_PERMISSIONS: must be a decimal permission integer, like 3072 (got "0x800")',
      "DASHBOARD_RECHECK_SECONDS: must be from 10 to 3600",
      "DISCORD_BOT_INSTANCES: must be from 1 to 64",
    ]);
    expect(found.join("\n")).not.toContain("secret-token-pasted");
    expect(
      problems(parseConfig({ ...minimal, DISCORD_BOT_TOKEN: BOT_TOKEN, DISCORD_BOT_PERMISSIONS: String(2 ** 53) })),
    ).toEqual(["DISCORD_BOT_PERMISSIONS: must be below 2^53: Discord defines no higher permission"]);
  });

  it("names a setting that ends with a comment, as systemd's EnvironmentFile would keep it, without its value", () => {
    const found = problems(parseConfig({ ...minimal, DISCORD_CLIENT_SECRET: "shh # from the portal" }));
    expect(found).toEqual([
      'DISCORD_CLIENT_SECRET: ends with what looks like a comment (a "#" after a space), which systemd\'s EnvironmentFile keeps as part of the value: put comments on lines of their own',
    ]);
  });

  it("takes HOST as an address to listen on, and names anything else instead of crashing on it", () => {
    for (const host of ["127.0.0.1", "::1", "0.0.0.0", "::", "localhost", "10.0.0.5"]) {
      expect(parseConfig({ ...minimal, HOST: host }).ok, host).toBe(true);
    }
    for (const host of ["app.internal", "127.0.0.1:3001", "[::1]"]) {
      expect(problems(parseConfig({ ...minimal, HOST: host }))).toEqual([
        `HOST: must be an IP address of this machine to listen on, like 127.0.0.1, ::1 or 0.0.0.0 (got "${host}")`,
      ]);
    }
  });
});

describe("joining the community server", () => {
  const BOT_TOKEN = "MTI5MDAwMDAwMDAwMDAwMDAwMQ.vvMY7e.AIxG-T26g5QMrmEG5-9v1HkfpbnIs4kXk8YUGm";
  const SERVER = "613425648685547541";
  const OTHER_SERVER = "613425648685547549";
  const ROLE = "613425648685547543";
  const withBot = { ...minimal, DISCORD_BOT_TOKEN: BOT_TOKEN };

  it("is off by default", () => {
    expect(ok(parseConfig(withBot)).join).toBeNull();
  });

  it("joins at the first sign-in without access rules, and asks for guilds.join at login", () => {
    const config = ok(parseConfig({ ...withBot, JOIN_GUILD_ID: `${SERVER}=My community`, JOIN_ROLE_IDS: ROLE }));
    expect(config.join).toEqual({ guild: { id: SERVER, label: "My community" }, roles: [ROLE], when: "first_sign_in" });
    expect(config.discord.scopes).toEqual(["identify", "email", "guilds", "guilds.join"]);
  });

  it("is offered on the refusal page with access rules, naming the server as the rules do, and asks nothing more at login", () => {
    const config = ok(
      parseConfig({
        ...withBot,
        ACCESS_GUILD_IDS: `${SERVER}=My community`,
        JOIN_GUILD_ID: SERVER,
        DISCORD_SCOPES: "identify",
      }),
    );
    expect(config.join).toEqual({ guild: { id: SERVER, label: "My community" }, roles: [], when: "offered" });
    expect(config.discord.scopes).toEqual(["identify", "guilds"]);
  });

  it("refuses what cannot work, and says why", () => {
    expect(problems(parseConfig({ ...minimal, JOIN_GUILD_ID: SERVER }))).toEqual([
      "JOIN_GUILD_ID: the bot adds people to the server, so it takes DISCORD_BOT_TOKEN; set that too",
    ]);
    expect(problems(parseConfig({ ...withBot, JOIN_ROLE_IDS: ROLE }))).toEqual([
      "JOIN_ROLE_IDS: has no effect without JOIN_GUILD_ID; set that too",
    ]);
    expect(problems(parseConfig({ ...withBot, ACCESS_GUILD_IDS: SERVER, JOIN_GUILD_ID: OTHER_SERVER }))).toEqual([
      "JOIN_GUILD_ID: with ACCESS_GUILD_IDS set, joining is offered to people refused for not being a member, so it must be one of those servers",
    ]);
    expect(
      problems(parseConfig({ ...withBot, ACCESS_GUILD_IDS: SERVER, ACCESS_ROLE_IDS: ROLE, JOIN_GUILD_ID: SERVER })),
    ).toEqual([
      "JOIN_ROLE_IDS: ACCESS_ROLE_IDS requires a role, so people who join must be given one of those roles, or joining would not let them in",
    ]);
    expect(problems(parseConfig({ ...withBot, JOIN_GUILD_ID: `${SERVER},${OTHER_SERVER}` }))).toEqual([
      "JOIN_GUILD_ID: lists 2 servers; at most 1 is supported",
    ]);
  });
});

describe("Linked Roles", () => {
  it("is off by default, and takes the bot token", () => {
    expect(ok(parseConfig(minimal)).linkedRoles).toBe(false);
    expect(problems(parseConfig({ ...minimal, LINKED_ROLES: "true" }))).toEqual([
      "LINKED_ROLES: the metadata is registered and checked with the bot's token, so it takes DISCORD_BOT_TOKEN; set that too",
    ]);
    expect(problems(parseConfig({ ...minimal, LINKED_ROLES: "yes" }))).toEqual([
      'LINKED_ROLES: must be true or false (got "yes")',
    ]);
  });
});
