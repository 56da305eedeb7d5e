import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator/server";
import { control, counters, seededId } from "../../emulator/testing/harness";
import {
  deploymentEnv,
  freePort,
  logInOverHttp,
  startAppInstance,
  type AppInstance,
} from "../../tests/support/app-instances";
import { createTestDatabase, type TestDatabase } from "../../tests/support/test-database";

// Two real app processes (the production build under remix-serve) on one Postgres, as
// behind a load balancer. Discord rotates refresh tokens and rejects a reused one, so
// when the user's access token dies, exactly one of them may refresh it.

let database: TestDatabase;
let emulator: RunningEmulator;
const instances: AppInstance[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  const ports = [await freePort(), await freePort()];
  const appUrl = `http://127.0.0.1:${ports[0]}`;
  emulator = await startEmulator({ port: 0, redirectUris: [`${appUrl}/auth/discord/callback`] });
  const env = deploymentEnv({ appUrl, databaseUrl: database.url, emulator });
  instances.push(...(await Promise.all(ports.map((port) => startAppInstance(port, env)))));
}, 120_000);

afterAll(async () => {
  await Promise.all(instances.map((instance) => instance.stop()));
  await emulator?.close();
  await database?.destroy();
});

describe("an access token that dies while two instances serve its user", () => {
  it("is refreshed exactly once for 120 concurrent requests, and every request succeeds", async () => {
    const { cookie } = await logInOverHttp(instances[0]!.url, emulator, seededId("guildhopper"));
    await control(emulator, "POST", `/accounts/${seededId("guildhopper")}/expire-tokens`);

    const responses = await Promise.all(
      Array.from({ length: 120 }, (_, index) =>
        fetch(`${instances[index % 2]!.url}/servers`, { headers: { Cookie: cookie }, redirect: "manual" }),
      ),
    );
    const pages = await Promise.all(responses.map((response) => response.text()));

    const failures = responses.flatMap((response, index) =>
      response.status === 200 ? [] : [`${response.status} ${pages[index]!.slice(0, 300)}`],
    );
    expect(failures).toEqual([]);
    for (const page of pages) {
      expect(page).toContain("Hopper Hub 250");
      expect(page).not.toContain("Discord is not answering");
    }
    const counted = await counters(emulator);
    expect(counted).toMatchObject({ refreshes: 1, rejected_refresh_reuses: 0 });
    // Each instance asked Discord for the list once, and the first try of each met the dead token.
    expect(counted.api_calls.guilds[401]).toBeLessThanOrEqual(2);
  });
});
