import { InvalidEnvironmentError, optionsFromEnvironment } from "./env-config";
import { type EmulatorConfig, type EmulatorOptions, resolveOptions } from "./options";
import { type RunningEmulator, startEmulator } from "./server";

/** Standalone entry point (`npm run emulator`); configuration comes from EMULATOR_* variables. */
function loadOptions(): EmulatorOptions {
  try {
    return optionsFromEnvironment(process.env);
  } catch (error) {
    if (!(error instanceof InvalidEnvironmentError)) throw error;
    console.error(`discord emulator: ${error.message}`);
    process.exit(1);
  }
}

function describe(emulator: RunningEmulator, config: EmulatorConfig): string {
  const rows: [string, string][] = [
    ["URL", emulator.url],
    ["Client ID", emulator.clientId],
    ["Client secret", emulator.clientSecret],
    ["Public key", emulator.publicKeyHex],
    ["Bot token", emulator.botToken],
    ["Redirect URIs", config.redirectUris.join(", ")],
    ["Webhook URL", config.webhookUrl ?? "(none)"],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return [
    "Discord emulator is running",
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
    "",
    "Point an app at it with:",
    `  DISCORD_BASE_URL=${emulator.url}`,
    `  DISCORD_CDN_URL=${emulator.url}`,
    `  DISCORD_CLIENT_ID=${emulator.clientId}`,
    `  DISCORD_CLIENT_SECRET=${emulator.clientSecret}`,
    `  DISCORD_PUBLIC_KEY=${emulator.publicKeyHex}`,
    "  DISCORD_EMULATOR=true   (optional: the app then shows its emulator banner)",
    "",
    `Control API: ${emulator.url}/_emulator (see docs/emulator.md). Ctrl+C stops.`,
  ].join("\n");
}

const options = loadOptions();
const config = resolveOptions(options);
const emulator = await startEmulator(options).catch((error: unknown) => {
  console.error(
    `discord emulator: cannot listen on ${config.host}:${config.port}: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
console.log(describe(emulator, config));

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error("discord emulator: error while stopping", error);
        process.exit(1);
      },
    );
  });
}
