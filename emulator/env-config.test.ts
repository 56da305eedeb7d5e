import { describe, expect, it } from "vitest";
import { optionsFromEnvironment } from "./env-config";
import { resolveOptions } from "./options";

describe("optionsFromEnvironment", () => {
  it("uses the documented defaults when nothing is set", () => {
    expect(resolveOptions(optionsFromEnvironment({}))).toEqual({
      port: 3001,
      host: "127.0.0.1",
      clientId: "1290000000000000001",
      clientSecret: "discord-emulator-client-secret",
      redirectUris: ["http://localhost:3000/auth/discord/callback"],
      webhookUrl: null,
      accessTokenTtlSeconds: 604800,
      codeTtlSeconds: 100,
    });
  });

  it("reads every variable", () => {
    const options = optionsFromEnvironment({
      EMULATOR_PORT: "4000",
      EMULATOR_HOST: "0.0.0.0",
      EMULATOR_CLIENT_ID: "123456789012345678",
      EMULATOR_CLIENT_SECRET: "a-longer-secret",
      EMULATOR_REDIRECT_URIS: "http://localhost:3000/cb, https://app.example/cb",
      EMULATOR_WEBHOOK_URL: "http://localhost:3000/webhooks/discord",
      EMULATOR_ACCESS_TOKEN_TTL: "60",
    });
    expect(options).toEqual({
      port: 4000,
      host: "0.0.0.0",
      clientId: "123456789012345678",
      clientSecret: "a-longer-secret",
      redirectUris: ["http://localhost:3000/cb", "https://app.example/cb"],
      webhookUrl: "http://localhost:3000/webhooks/discord",
      accessTokenTtlSeconds: 60,
    });
  });

  it.each([
    [{ EMULATOR_PORT: "http" }, 'EMULATOR_PORT must be a whole number (got "http")'],
    [{ EMULATOR_PORT: "70000" }, "EMULATOR_PORT must be from 0 to 65535"],
    [{ EMULATOR_CLIENT_ID: "abc" }, "EMULATOR_CLIENT_ID must be a snowflake: 17 to 20 digits"],
    [{ EMULATOR_CLIENT_SECRET: "short" }, "EMULATOR_CLIENT_SECRET must be at least 8 characters without whitespace"],
    [
      { EMULATOR_REDIRECT_URIS: "http://localhost/cb,notaurl" },
      'EMULATOR_REDIRECT_URIS entry "notaurl" must be an absolute http:// or https:// URL',
    ],
    [
      { EMULATOR_REDIRECT_URIS: "http://localhost/cb#frag" },
      'EMULATOR_REDIRECT_URIS entry "http://localhost/cb#frag" must not contain a #fragment',
    ],
    [{ EMULATOR_WEBHOOK_URL: "ftp://example.com" }, "EMULATOR_WEBHOOK_URL must be an absolute http:// or https:// URL"],
    [{ EMULATOR_ACCESS_TOKEN_TTL: "0" }, "EMULATOR_ACCESS_TOKEN_TTL must be greater than 0"],
    [{ EMULATOR_ACCESS_TOKEN_TTL: "1.5" }, 'EMULATOR_ACCESS_TOKEN_TTL must be a whole number (got "1.5")'],
  ])("rejects %o with one line naming the variable", (env, message) => {
    expect(() => optionsFromEnvironment(env)).toThrow(message);
  });
});
