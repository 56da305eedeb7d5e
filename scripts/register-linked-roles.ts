import { registerRoleConnectionMetadata, ROLE_CONNECTION_METADATA } from "~/community/linked-roles.server";
import { ConfigError, formatProblems, getConfig } from "~/config.server";
import { loadEnvFile } from "../launcher/environment";
import { packageRoot } from "./script-database";

// `npm run discord:linked-roles`: registers this app's Linked Roles metadata
// (app/community/linked-roles.server.ts) with Discord, replacing what the application had,
// with the bot's token. Run it once, and again whenever the records change; instances
// say in their log at start when Discord holds other records.

loadEnvFile(packageRoot());
try {
  const config = getConfig();
  const registered = await registerRoleConnectionMetadata(config);
  console.log(
    `Discord now holds ${registered.length} Linked Roles metadata records for application ${config.discord.clientId}:`,
  );
  for (const record of ROLE_CONNECTION_METADATA) console.log(`  ${record.key}: ${record.name} (type ${record.type})`);
  console.log(`Set the Developer Portal's Linked Roles Verification URL to ${config.appUrl}/linked-roles`);
} catch (error) {
  console.error(error instanceof ConfigError ? formatProblems(error.problems) : (error as Error).message);
  process.exitCode = 1;
}
