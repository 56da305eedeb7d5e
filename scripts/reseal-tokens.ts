import { encryptionKeysFrom } from "~/config.server";
import { endGrant } from "~/discord/grant.server";
import { resealTokens } from "~/models/reseal-tokens.server";
import { withScriptDatabase } from "./script-database";

// `npm run tokens:reseal`: after putting a new key first in TOKEN_ENCRYPTION_KEY, rewrites
// every stored token under it; the keys no token uses any more are retired, and may then
// be removed from every instance without logging anyone out.
//
// `-- --forget-unreadable`: also ends the grants of people whose tokens no given key can
// open (a key lost for good): they are logged out and asked to log in again. Without it,
// those tokens are kept, and instances lacking their key refuse to start.

const forgetUnreadable = process.argv.includes("--forget-unreadable");
const keys = encryptionKeysFrom(process.env.TOKEN_ENCRYPTION_KEY ?? "");

await withScriptDatabase(async (db) => {
  if (!keys) throw new Error("TOKEN_ENCRYPTION_KEY: set it to 32-byte base64 keys, newest first.");
  const { resealed, unreadable, retiredKeys } = await resealTokens(db, keys);
  console.log(`Resealed ${resealed} people's tokens under key ${keys[0]!.id}.`);
  if (unreadable.length > 0 && forgetUnreadable) {
    for (const userId of unreadable) await endGrant(db, userId);
    console.log(`Ended ${unreadable.length} grants no given key could open; those people will log in again.`);
    const { retiredKeys: more } = await resealTokens(db, keys);
    retiredKeys.push(...more);
  } else if (unreadable.length > 0) {
    console.log(
      `${unreadable.length} could not be opened with the keys given: add their key to TOKEN_ENCRYPTION_KEY, or end those grants with --forget-unreadable.`,
    );
  }
  console.log(
    retiredKeys.length > 0
      ? `No stored token uses key ${retiredKeys.join(", ")} any more: remove it from TOKEN_ENCRYPTION_KEY everywhere.`
      : "No key was retired.",
  );
});
