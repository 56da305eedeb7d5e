import { log } from "~/utils/logger.server";
import type { DB } from "./db.server";
import { purgeExpired } from "./purge.server";

const EVERY_MS = 15 * 60_000;

/**
 * Purges expired rows every quarter of an hour, starting at a random moment so several
 * instances do not all purge at once. The timer never keeps a stopping process alive.
 */
export function schedulePurge(db: () => DB): void {
  const run = async () => {
    try {
      const purged = await purgeExpired(db());
      if (purged.sessions + purged.loginAttempts + purged.rateLimitWindows > 0)
        log.info("purged expired rows", { ...purged });
    } catch (error) {
      log.warn("purge failed; will try again", { error: error instanceof Error ? error.message : String(error) });
    }
  };
  setTimeout(() => {
    void run();
    setInterval(() => void run(), EVERY_MS).unref();
  }, Math.random() * EVERY_MS).unref();
}
