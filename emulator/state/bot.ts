import { createHmac } from "node:crypto";
import { APPLICATION_NAME } from "../app-context";

/**
 * The application's bot user. On Discord a bot belongs to one application and shares its
 * id; its token is shown once in the Developer Portal and stays valid until reset.
 */
export interface ApplicationBot {
  readonly id: string;
  readonly username: string;
  readonly token: string;
}

/**
 * The emulator's bot, its token derived from the application's credentials: the same at
 * every start for the same client secret, so a DISCORD_BOT_TOKEN kept in a settings file
 * keeps working, as a real bot token does until it is reset. Shaped like Discord's: the
 * user id in base64, a timestamp part, an HMAC part, separated by dots.
 */
export function applicationBot(clientId: string, clientSecret: string): ApplicationBot {
  const part = (label: string, length: number) =>
    createHmac("sha256", clientSecret).update(`${label}:${clientId}`).digest("base64url").slice(0, length);
  return {
    id: clientId,
    username: APPLICATION_NAME,
    token: `${Buffer.from(clientId).toString("base64url")}.${part("bot-issued", 6)}.${part("bot-token", 38)}`,
  };
}
