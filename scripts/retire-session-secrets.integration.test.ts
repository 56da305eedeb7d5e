import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig, type Config } from "~/config.server";
import { createSession } from "~/models/session.server";
import { recordSigningSecret, sessionSecretId } from "~/models/secret-checks.server";
import { checkSecrets, formatRefusal } from "~/startup.server";
import { createTestDatabase, type TestDatabase } from "../tests/support/test-database";

// A SESSION_SECRET lost or leaked: instances given a new secret refuse to start while
// another instance's cookies signed with the old one may live, and say both ways out;
// `npm run sessions:retire-secrets -- --yes` ends every session and forgets the recorded
// secrets, after which the new secret alone is accepted.

const root = fileURLToPath(new URL("..", import.meta.url));
const DAY_MS = 24 * 60 * 60 * 1000;
const secretA = randomBytes(32).toString("base64");
const secretB = randomBytes(32).toString("base64");
let test: TestDatabase;

beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(async () => {
  await test?.destroy();
});

function configWith(sessionSecret: string): Config {
  const result = parseConfig({
    DATABASE_URL: test.url,
    DISCORD_CLIENT_ID: "1290000000000000001",
    DISCORD_CLIENT_SECRET: "shh",
    SESSION_SECRET: sessionSecret,
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  });
  if (!result.ok) throw new Error(result.problems.join("\n"));
  return result.config;
}

function retire(args: string[] = []): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    let output = "";
    const child = spawn(process.execPath, ["launcher/run.mjs", "scripts/retire-session-secrets", ...args], {
      cwd: root,
      env: { ...process.env, NODE_ENV: "production", DATABASE_URL: test.url, SESSION_SECRET: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, output }));
  });
}

const snapshot = async () => ({
  users: await test.db.selectFrom("users").selectAll().orderBy("id").execute(),
  tokens: await test.db.selectFrom("discord_tokens").selectAll().orderBy("user_id").execute(),
  sessions: await test.db.selectFrom("sessions").selectAll().orderBy("id").execute(),
  secrets: await test.db.selectFrom("secret_checks").selectAll().orderBy("kind").orderBy("id").execute(),
});

describe("retiring a lost or leaked SESSION_SECRET", () => {
  const lastUsedAt = new Date(Math.floor((Date.now() - DAY_MS) / 1000) * 1000);
  const idA = sessionSecretId(secretA);

  beforeAll(async () => {
    await recordSigningSecret(test.db, secretA, lastUsedAt);
    for (const name of ["ada", "brook", "cyd"]) {
      const user = await test.db
        .insertInto("users")
        .values({
          discord_id: String(80351110224678000n + BigInt(name.charCodeAt(0))),
          username: name,
          discriminator: null,
          global_name: null,
          avatar_hash: null,
          email: null,
          last_login_at: lastUsedAt,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await test.db
        .insertInto("discord_tokens")
        .values({
          user_id: user.id,
          access_token_encrypted: "sealed-access",
          refresh_token_encrypted: "sealed-refresh",
          access_token_expires_at: new Date(Date.now() + DAY_MS),
          scopes: "identify",
        })
        .execute();
      await createSession(test.db, user.id, { userAgent: "test", ip: "127.0.0.1" }, 30 * DAY_MS);
    }
  });

  it("an instance with another secret refuses, saying until when and both ways out", async () => {
    const config = configWith(secretB);
    const problems = await checkSecrets(test.db, config);
    expect(problems).toHaveLength(1);
    const until = new Date(lastUsedAt.getTime() + config.sessionMaxAgeMs).toISOString().replace(".000Z", "Z");
    const refusal = formatRefusal(problems);
    expect(refusal.split("\n")).toEqual(["Refusing to start:", `  - ${problems[0]}`]);
    expect(refusal).not.toContain("Invalid configuration");
    expect(problems[0]).toContain(`SESSION_SECRET: lacks the secret (check ${idA})`);
    expect(problems[0]).toContain(`until ${until}`);
    expect(problems[0]).toContain("give this instance the same secrets as the others, newest first");
    expect(problems[0]).toContain("npm run sessions:retire-secrets -- --yes (logs everyone out)");
    // A refused instance records nothing.
    expect(await test.db.selectFrom("secret_checks").select("id").execute()).toEqual([{ id: idA }]);
  });

  it("without --yes, says what it would do and changes nothing", async () => {
    const before = await snapshot();
    const { code, output } = await retire();
    expect(code, output).toBe(0);
    expect(output).toContain("nothing changed");
    expect(output).toContain("3 live sessions would end");
    expect(output).toContain(`${idA}  ${lastUsedAt.toISOString()}`);
    expect(output).toContain("npm run sessions:retire-secrets -- --yes");
    expect(output).not.toContain(secretA);
    expect(await snapshot()).toEqual(before);
  }, 180_000);

  it("with --yes, ends every session and forgets the secrets, keeping users and tokens", async () => {
    const before = await snapshot();
    const { code, output } = await retire(["--yes"]);
    expect(code, output).toBe(0);
    expect(output).toMatch(/^Ended 3 live sessions and forgot 1 recorded session secrets/m);
    expect(output).toContain("Now start every instance with the new SESSION_SECRET alone");
    expect(output).not.toContain(secretA);
    const after = await snapshot();
    expect(after.sessions).toEqual([]);
    expect(after.secrets.filter((row) => row.kind === "session-secret")).toEqual([]);
    expect(after.users).toEqual(before.users);
    expect(after.tokens).toEqual(before.tokens);
  }, 180_000);

  it("then an instance with the new secret alone starts, and records it", async () => {
    expect(await checkSecrets(test.db, configWith(secretB))).toEqual([]);
    const recorded = await test.db
      .selectFrom("secret_checks")
      .select("id")
      .where("kind", "=", "session-secret")
      .execute();
    expect(recorded).toEqual([{ id: sessionSecretId(secretB) }]);
  });
});
