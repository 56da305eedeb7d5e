import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const integrationTests = "**/*.integration.test.ts";

export default defineConfig({
  resolve: {
    alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["{app,emulator,launcher,scripts,tests}/**/*.test.{ts,tsx}"],
          exclude: [integrationTests, "tests/e2e/**"],
        },
      },
      {
        extends: true,
        test: {
          // Each file gets its own database (see tests/support/test-database.ts),
          // so files run in parallel; the embedded Postgres needs a few seconds to boot.
          name: "integration",
          include: [integrationTests],
          globalSetup: ["tests/support/build-once.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
