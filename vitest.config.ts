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
          // Each file gets its own database (see tests/support/test-database.ts), so files
          // can run in parallel; the embedded Postgres needs a few seconds to boot. Many files
          // start processes of their own (the production build, a launcher, Caddy, Chromium),
          // so two at a time, whatever the machine: more would starve one another on two
          // cores (and vitest's default, one fewer than the cores, runs one at a time there).
          name: "integration",
          include: [integrationTests],
          maxWorkers: 2,
          // A pool size of its own needs a place of its own in the run: after the unit tests.
          sequence: { groupOrder: 1 },
          globalSetup: ["tests/support/build-once.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
