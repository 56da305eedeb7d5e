import { type EmulatorOptions, InvalidOptionError, resolveOptions } from "./options";

/** The environment variable behind each option, for messages that name what the user set. */
const VARIABLE_FOR_OPTION: Readonly<Record<string, string>> = {
  port: "EMULATOR_PORT",
  host: "EMULATOR_HOST",
  clientId: "EMULATOR_CLIENT_ID",
  clientSecret: "EMULATOR_CLIENT_SECRET",
  redirectUris: "EMULATOR_REDIRECT_URIS",
  webhookUrl: "EMULATOR_WEBHOOK_URL",
  accessTokenTtlSeconds: "EMULATOR_ACCESS_TOKEN_TTL",
};

export class InvalidEnvironmentError extends Error {
  constructor(variable: string, reason: string) {
    super(`${variable} ${reason}`);
    this.name = "InvalidEnvironmentError";
  }
}

type Environment = Readonly<Record<string, string | undefined>>;

/** Unset and empty variables both mean "use the default". */
function read(env: Environment, variable: string): string | undefined {
  const value = env[variable]?.trim();
  return value ? value : undefined;
}

function wholeNumber(env: Environment, variable: string): number | undefined {
  const value = read(env, variable);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new InvalidEnvironmentError(variable, `must be a whole number (got "${value}")`);
  return Number(value);
}

/** Reads and validates the EMULATOR_* variables; errors name the variable at fault. */
export function optionsFromEnvironment(env: Environment): EmulatorOptions {
  const options: EmulatorOptions = {
    port: wholeNumber(env, "EMULATOR_PORT"),
    host: read(env, "EMULATOR_HOST"),
    clientId: read(env, "EMULATOR_CLIENT_ID"),
    clientSecret: read(env, "EMULATOR_CLIENT_SECRET"),
    redirectUris: read(env, "EMULATOR_REDIRECT_URIS")
      ?.split(",")
      .map((uri) => uri.trim())
      .filter((uri) => uri !== ""),
    webhookUrl: read(env, "EMULATOR_WEBHOOK_URL"),
    accessTokenTtlSeconds: wholeNumber(env, "EMULATOR_ACCESS_TOKEN_TTL"),
  };
  try {
    resolveOptions(options);
    return options;
  } catch (error) {
    if (!(error instanceof InvalidOptionError)) throw error;
    throw new InvalidEnvironmentError(VARIABLE_FOR_OPTION[error.option] ?? error.option, error.reason);
  }
}
