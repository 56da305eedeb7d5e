import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { seededId } from "../emulator/testing/harness";
import { freePort, logInOverHttp, refusedStart, startAppInstance } from "../tests/support/app-instances";
import { useDeployment } from "../tests/support/deployment";

// A misconfigured instance refuses to start, saying each problem, rather than run in a
// way that loses data or lets one client hold everyone else at 429. In production (as
// here: NODE_ENV=production, no terminal) that is one JSON line on stdout, like every
// other log line.

const deployment = useDeployment();

/** The refusal's JSON line: what it is ("Refusing to start", "Invalid configuration") and each problem. */
function refusalIn(output: string): { msg: string; level: string; problems: string[] } {
  const lines = output.split("\n").filter((line) => line.startsWith("{"));
  const refusal = lines.map((line) => JSON.parse(line)).find((line) => Array.isArray(line.problems));
  expect(refusal, output).toBeDefined();
  return refusal;
}

describe("an instance refuses to start", () => {
  it("without server/preload.cjs: it could not tell clients apart, and remix-serve would log full URLs", async () => {
    const { code, output } = await refusedStart(deployment().env, { plain: true });
    expect(code).toBe(1);
    const { msg, level, problems } = refusalIn(output);
    expect({ msg, level }).toEqual({ msg: "Refusing to start", level: "error" });
    expect(problems[0]).toMatch(/server\/preload\.cjs: not loaded, so the app cannot tell clients apart/);
    expect(problems[0]).toMatch(/Start it with npm start, or: node --require \.\/server\/preload\.cjs/);
  });

  it("with a TOKEN_ENCRYPTION_KEY that cannot open the tokens the running instance sealed", async () => {
    const { app, emulator, env, database } = deployment();
    await logInOverHttp(app.url, emulator, seededId("nova")); // tokens sealed with the running key
    const tokensBefore = await database.db.selectFrom("discord_tokens").selectAll().execute();
    const otherKey = randomBytes(32).toString("base64");
    const { code, output } = await refusedStart({ ...env, TOKEN_ENCRYPTION_KEY: otherKey });
    expect(code).toBe(1);
    expect(refusalIn(output).problems[0]).toMatch(
      /TOKEN_ENCRYPTION_KEY: has no key with id [0-9a-f]{8}, which sealed Discord tokens stored here/,
    );
    // Nothing was deleted, and the running instance still serves its people.
    expect(await database.db.selectFrom("discord_tokens").selectAll().execute()).toEqual(tokensBefore);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });

  it("with a SESSION_SECRET that cannot verify the cookies the running instance signs", async () => {
    const { env } = deployment();
    const { code, output } = await refusedStart({ ...env, SESSION_SECRET: randomBytes(32).toString("base64") });
    expect(code).toBe(1);
    const refusal = refusalIn(output);
    expect(refusal.msg).toBe("Refusing to start");
    expect(output).not.toContain("Invalid configuration");
    expect(refusal.problems[0]).toMatch(
      /SESSION_SECRET: lacks the secret \(check [0-9a-f]{16}\) another instance signed cookies with at \S+; those cookies live until \d{4}-\d\d-\d\dT/,
    );
    expect(refusal.problems[0]).toContain("npm run sessions:retire-secrets -- --yes (logs everyone out)");
  });

  it("with a DISCORD_BOT_TOKEN Discord refuses, naming it and never printing it", async () => {
    const { env, emulator } = deployment();
    const refusedToken = `${emulator.botToken.slice(0, -6)}XXXXXX`;
    const { code, output } = await refusedStart({ ...env, DISCORD_BOT_TOKEN: refusedToken });
    expect(code).toBe(1);
    const refusal = refusalIn(output);
    expect(refusal.msg).toBe("Invalid configuration");
    expect(refusal.problems[0]).toMatch(/DISCORD_BOT_TOKEN: Discord refused this token \(401\)/);
    expect(output).not.toContain(refusedToken.split(".")[2]);
  });

  it("starts with the bot token Discord accepts, the dashboard on", async () => {
    const { env, emulator } = deployment();
    const withBot = await startAppInstance(await freePort(), { ...env, DISCORD_BOT_TOKEN: emulator.botToken });
    try {
      expect((await fetch(`${withBot.url}/healthz`)).status).toBe(200);
      expect(withBot.output()).toContain('"bot_dashboard":"on, 2 instances share the bot\'s limits"');
      expect(withBot.output()).not.toContain(emulator.botToken);
    } finally {
      await withBot.stop();
    }
  });

  it("starts with a new key in front of the running instance's (a rotation under way)", async () => {
    const { env } = deployment();
    const rotated = {
      ...env,
      TOKEN_ENCRYPTION_KEY: `${randomBytes(32).toString("base64")},${env.TOKEN_ENCRYPTION_KEY}`,
    };
    const second = await startAppInstance(await freePort(), rotated);
    try {
      expect((await fetch(`${second.url}/healthz`)).status).toBe(200);
    } finally {
      await second.stop();
    }
  });
});

describe("clients told apart", () => {
  it("60 junk callbacks from one client do not stop another client's login", async () => {
    const { app, emulator } = deployment();
    const statuses = new Set<number>();
    for (let attempt = 0; attempt < 60; attempt += 1) {
      const junk = await fetch(`${app.url}/auth/discord/callback?code=junk&state=junk`, { redirect: "manual" });
      statuses.add(junk.status);
      await junk.body?.cancel();
    }
    expect(statuses).toContain(429); // the junk was limited...
    const login = await logInOverHttp(app.url, emulator, seededId("pixelpine"));
    expect(login.cookie).toMatch(/^session=/); // ...and the real login went through
  });
});
