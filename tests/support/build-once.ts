import { fileURLToPath } from "node:url";
import { ensureProductionBuild } from "../../launcher/build";

/**
 * vitest global setup: the production build, made once before the integration tests,
 * which start it from several test files at once (without this, each would race to
 * rebuild the same folder).
 */
export default async function buildOnce(): Promise<void> {
  await ensureProductionBuild(fileURLToPath(new URL("../..", import.meta.url)));
}
