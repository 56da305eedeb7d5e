import { describe, expect, it } from "vitest";
import { parseConfig } from "~/config.server";
import { parseSettingsFile } from "./settings-file.mjs";

describe("a settings file read with systemd's EnvironmentFile rules", () => {
  it("skips comment and blank lines, trims around keys, and keeps what follows the =", () => {
    const text = [
      "# a comment",
      "; another",
      "",
      "   APP_URL = https://login.example.com",
      "TRUST_PROXY=1",
      "\tHOST=127.0.0.1",
      "NOT A SETTING",
      "9BAD=x",
    ].join("\n");
    expect(parseSettingsFile(text)).toEqual({
      APP_URL: "https://login.example.com",
      TRUST_PROXY: "1",
      HOST: "127.0.0.1",
    });
  });

  it("keeps a # after a value as part of it: there are no trailing comments", () => {
    expect(parseSettingsFile("APP_URL=https://login.example.com # the public origin\n")).toEqual({
      APP_URL: "https://login.example.com # the public origin",
    });
  });

  it("takes quoted values without their quotes, escapes inside double quotes, and joins continued lines", () => {
    const text = [`A='single # kept'`, `B="double \\"quoted\\" \\\\ back"`, "C=first \\", "second", "D=\r"].join("\n");
    expect(parseSettingsFile(text)).toEqual({
      A: "single # kept",
      B: 'double "quoted" \\ back',
      C: "first second",
      D: "",
    });
  });

  it("gives the app a value it names, never a crash or a secret with a comment in it", () => {
    const settings = parseSettingsFile(
      [
        "NODE_ENV=production",
        "APP_URL=https://login.example.com # the origin",
        "SESSION_SECRET=" + "s".repeat(44) + " # openssl rand -base64 32",
        "HOST=127.0.0.1 # loopback",
      ].join("\n"),
    );
    const result = parseConfig(settings);
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems.map((problem) => problem.split(":")[0])).toEqual(["APP_URL", "HOST", "SESSION_SECRET"]);
    for (const problem of problems) {
      expect(problem).toContain("put comments on lines of their own");
      expect(problem).not.toContain("s".repeat(44));
    }
  });
});
