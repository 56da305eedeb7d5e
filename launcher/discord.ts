import { DEFAULT_EMULATOR_PORT, isSet, type Environment } from "./environment";
import { status } from "./log";
import type { Shutdown } from "./shutdown";

/**
 * Real Discord when DISCORD_CLIENT_ID is set; otherwise the built-in emulator, with the
 * app's DISCORD_* variables pointed at it. Returns the variables to give the app.
 */
export async function provideDiscord(
  env: Environment,
  app: { url: string; port: number },
  shutdown: Shutdown,
): Promise<Environment> {
  if (isSet(env.DISCORD_CLIENT_ID)) {
    status(
      "discord",
      `${env.DISCORD_BASE_URL ?? "https://discord.com"}, application ${env.DISCORD_CLIENT_ID} (from DISCORD_CLIENT_ID)`,
    );
    return {};
  }
  // Loaded only when needed: an app on real Discord never runs emulator code.
  const { startEmulator } = await import("../emulator/server");
  const emulator = await startEmulator({
    port: isSet(env.EMULATOR_PORT) ? Number(env.EMULATOR_PORT) : DEFAULT_EMULATOR_PORT,
    // The login's, and the bot dashboard's (adding the bot to a server).
    redirectUris: [`${app.url}/auth/discord/callback`, `${app.url}/servers/bot-added`],
    // Deliver webhook events straight to this machine's app, whatever its public URL is.
    webhookUrl: `http://127.0.0.1:${app.port}/webhooks/discord`,
  });
  shutdown.add("Discord emulator", () => emulator.close());
  status(
    "discord",
    `emulator at ${emulator.url} (client id ${emulator.clientId}); set DISCORD_CLIENT_ID and DISCORD_CLIENT_SECRET to use real Discord`,
  );
  return {
    DISCORD_CLIENT_ID: emulator.clientId,
    DISCORD_CLIENT_SECRET: emulator.clientSecret,
    DISCORD_BASE_URL: emulator.url,
    DISCORD_CDN_URL: emulator.url,
    DISCORD_PUBLIC_KEY: emulator.publicKeyHex,
    DISCORD_BOT_TOKEN: emulator.botToken,
    // Told explicitly: the app never infers the emulator from a URL.
    DISCORD_EMULATOR: "true",
  };
}
