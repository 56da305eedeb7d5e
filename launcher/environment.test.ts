import { describe, expect, it } from "vitest";
import { previewConfig } from "./environment";

const secrets = {
  SESSION_SECRET: "s".repeat(32),
  TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64"),
};
const realDiscord = { DISCORD_CLIENT_ID: "1290000000000000001", DISCORD_CLIENT_SECRET: "shh" };

function problemsOf(result: ReturnType<typeof previewConfig>): string[] {
  return result.ok ? [] : result.problems;
}

describe("what the launcher provides", () => {
  it("provides the emulator and throwaway secrets on this machine", () => {
    const result = previewConfig({}, "start");
    expect(result.ok && result.config.usingEmulator).toBe(true);
  });

  it("provides the emulator's bot too, so the dashboard's own settings are accepted without a token", () => {
    const result = previewConfig({ DASHBOARD_RECHECK_SECONDS: "10" }, "start");
    expect(result.ok && result.config.dashboard?.recheckMs).toBe(10_000);
    // With real Discord the bot token is the operator's to give.
    expect(problemsOf(previewConfig({ ...realDiscord, ...secrets, DASHBOARD_RECHECK_SECONDS: "10" }, "start"))).toEqual(
      ["DASHBOARD_RECHECK_SECONDS: has no effect without DISCORD_BOT_TOKEN; set that too"],
    );
  });

  it("refuses the emulator and throwaway secrets for a public APP_URL, naming what to set", () => {
    expect(problemsOf(previewConfig({ APP_URL: "https://auth.example.com" }, "start"))).toEqual([
      "DISCORD_CLIENT_ID: set it and DISCORD_CLIENT_SECRET to your Discord application: the built-in emulator is for this machine only, and APP_URL (https://auth.example.com) is not on this machine",
      "SESSION_SECRET: set it (try: openssl rand -base64 32): throwaway secrets are for this machine only, and APP_URL (https://auth.example.com) is not on this machine",
      "TOKEN_ENCRYPTION_KEY: set it (try: openssl rand -base64 32): throwaway secrets are for this machine only, and APP_URL (https://auth.example.com) is not on this machine",
    ]);
  });

  it("refuses them when the operator set NODE_ENV=production, even on localhost", () => {
    const found = problemsOf(previewConfig({ NODE_ENV: "production", ...realDiscord }, "start"));
    expect(found).toEqual([
      expect.stringMatching(/^SESSION_SECRET: set it .* and NODE_ENV is production$/),
      expect.stringMatching(/^TOKEN_ENCRYPTION_KEY: set it .* and NODE_ENV is production$/),
    ]);
  });

  it.each(["Production", "prod", "PRODUCTION", "staging"])(
    "refuses a NODE_ENV that is none of production, development or test (%s), naming it, whatever else is set",
    (NODE_ENV) => {
      for (const env of [{ NODE_ENV }, { NODE_ENV, ...realDiscord, ...secrets }]) {
        expect(problemsOf(previewConfig(env, "start"))).toContain(
          `NODE_ENV: must be production, development or test, or unset (got "${NODE_ENV}"); npm start serves the production build either way`,
        );
        expect(problemsOf(previewConfig(env, "dev"))).toEqual(
          expect.arrayContaining([expect.stringMatching(/^NODE_ENV: .*\(got "/)]),
        );
      }
    },
  );

  it("takes production, development, test or nothing", () => {
    for (const NODE_ENV of [undefined, "", "production", "development", "test"]) {
      const env = NODE_ENV === "production" ? { NODE_ENV, ...realDiscord, ...secrets } : { NODE_ENV };
      expect(problemsOf(previewConfig(env, "start")), String(NODE_ENV)).toEqual([]);
    }
  });

  it("starts a public deployment whose operator set everything", () => {
    const result = previewConfig({ APP_URL: "https://auth.example.com", ...realDiscord, ...secrets }, "start");
    expect(result.ok && result.config.usingEmulator).toBe(false);
  });
});
