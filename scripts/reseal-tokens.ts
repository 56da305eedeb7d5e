import path from "node:path";
import { fileURLToPath } from "node:url";
import { encryptionKeysFrom, isPostgresUrl } from "~/config.server";
import { createDatabase } from "~/db/db.server";
import { resealTokens } from "~/models/reseal-tokens.server";
import { loadEnvFile } from "../launcher/environment";

// `npm run tokens:reseal`: after putting a new key first in TOKEN_ENCRYPTION_KEY, rewrites
// every stored token under it; then the old keys can be removed without logging anyone out.

loadEnvFile(path.resolve(fileURLToPath(new URL("..", import.meta.url))));
const url = process.env.DATABASE_URL?.trim();
const keys = encryptionKeysFrom(process.env.TOKEN_ENCRYPTION_KEY ?? "");
if (!url || !isPostgresUrl(url) || !keys) {
  console.error("Set DATABASE_URL (postgres://…) and TOKEN_ENCRYPTION_KEY (32-byte base64 keys, newest first).");
  process.exit(1);
}
const db = createDatabase(url, { maxConnections: 1 });
try {
  const { resealed, unreadable } = await resealTokens(db, keys);
  console.log(`Resealed ${resealed} users' tokens under key ${keys[0]!.id}.`);
  if (unreadable > 0) {
    console.log(
      `${unreadable} could not be opened with any configured key; those users will be asked to log in again.`,
    );
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
} finally {
  await db.destroy();
}
