import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../tests/support/app-instances";
import { startLauncher } from "../tests/support/launcher-process";
import { startTcpProxy, type TcpProxy } from "../tests/support/tcp-proxy";
import { createTestDatabase, testServerUrl, type TestDatabase } from "../tests/support/test-database";

// A machine booting: the launcher starts before Postgres accepts connections. It waits,
// saying so, within DATABASE_WAIT_SECONDS; what waiting cannot mend fails at once.

let database: TestDatabase;
let proxy: TcpProxy;

beforeAll(async () => {
  database = await createTestDatabase({ migrate: false });
  const target = new URL(database.url);
  proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port) });
});

afterAll(async () => {
  await proxy?.close();
  await database?.destroy();
});

/** The test database, reached through the proxy, which the test takes down and brings back. */
function throughProxy(databaseName?: string): string {
  const proxied = new URL(database.url);
  proxied.hostname = "127.0.0.1";
  proxied.port = String(proxy.port);
  if (databaseName) proxied.pathname = `/${databaseName}`;
  return proxied.toString();
}

async function launcherEnv(extra: Record<string, string> = {}) {
  return {
    PORT: String(await freePort()),
    EMULATOR_PORT: String(await freePort()),
    SESSION_SECRET: randomBytes(32).toString("base64"),
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    DATABASE_URL: throughProxy(),
    ...extra,
  };
}

describe("a database that is not up yet at boot", () => {
  it("is waited for, with a status line, and the app starts once it accepts connections", async () => {
    proxy.cut();
    const launcher = await startLauncher(await launcherEnv(), {
      // Postgres comes up once the launcher has said it is waiting.
      onOutput: (output) => {
        if (output.includes("database: not accepting connections yet")) proxy.restore();
      },
    });
    try {
      const output = launcher.output();
      expect(output).toMatch(/database: not accepting connections yet \(.+\); waiting up to 60 s…/);
      expect(output).toMatch(/database: accepting connections after \d+\.\d s/);
      expect(output).toMatch(/migrations: applied 0001_/);
      expect((await fetch(`${launcher.appUrl}/healthz`)).status).toBe(200);
    } finally {
      launcher.interrupt();
      await launcher.exited;
    }
  }, 120_000);

  it("is given up on after DATABASE_WAIT_SECONDS, saying why and which setting waits longer", async () => {
    proxy.cut();
    try {
      const launcher = await startLauncher(await launcherEnv({ DATABASE_WAIT_SECONDS: "2" }), { expectFailure: true });
      expect(await launcher.exited).toBe(1);
      expect(launcher.output()).toMatch(/database: not accepting connections yet/);
      expect(launcher.output()).toMatch(
        /error: DATABASE_URL: not accepting connections after 2 s \(.+\); DATABASE_WAIT_SECONDS sets how long a start waits/,
      );
      expect(launcher.output()).not.toMatch(/app: starting/);
    } finally {
      proxy.restore();
    }
  }, 60_000);

  // The embedded Postgres serves one database under any name: a real server tells.
  it.skipIf(!testServerUrl())(
    "is not waited for when waiting cannot help: a database that does not exist fails at once",
    async () => {
      const launcher = await startLauncher(await launcherEnv({ DATABASE_URL: throughProxy("rdl_no_such_database") }), {
        expectFailure: true,
      });
      expect(await launcher.exited).toBe(1);
      expect(launcher.output()).toMatch(/error: DATABASE_URL: cannot connect \(3D000: .*rdl_no_such_database.*\)/);
      expect(launcher.output()).not.toMatch(/waiting/);
    },
    60_000,
  );

  it("refuses a DATABASE_WAIT_SECONDS it cannot read", async () => {
    const launcher = await startLauncher(await launcherEnv({ DATABASE_WAIT_SECONDS: "a minute" }), {
      expectFailure: true,
    });
    expect(await launcher.exited).toBe(1);
    expect(launcher.output()).toMatch(/DATABASE_WAIT_SECONDS: must be a whole number of seconds from 0 to 3600/);
  }, 60_000);
});
