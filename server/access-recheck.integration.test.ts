import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answersOn, control, createAccount } from "../emulator/testing/harness";
import { seededGuildId, seededRoleId } from "../emulator/testing/seeded";
import { freePort, logInOverHttp, startAppInstance, type AppInstance } from "../tests/support/app-instances";
import { useDeployment } from "../tests/support/deployment";

// The cost of keeping "members only" true over time, measured on two instances of the
// production build sharing one Postgres: people load pages on both, as fast as they can,
// and the emulator counts the member-endpoint calls that reach Discord. With a 6-second
// interval (ACCESS_RECHECK_MINUTES=0.1) the run spans several intervals; the count per
// person per interval is what a deployment pays per person per ACCESS_RECHECK_MINUTES.

const HQ = seededGuildId("Emulator HQ");
const MODERATOR = seededRoleId("Emulator HQ", "Moderator");
const INTERVAL_MS = 6_000;
const INTERVALS = 4;
/** A second past the fourth interval, so the check due at its end is made. */
const RUN_MS = INTERVALS * INTERVAL_MS + 1_000;
const PEOPLE = 12;

const deployment = useDeployment({
  env: { ACCESS_GUILD_IDS: HQ, ACCESS_ROLE_IDS: MODERATOR, ACCESS_RECHECK_MINUTES: "0.1", LOG_LEVEL: "warn" },
});
let b: AppInstance;

beforeAll(async () => {
  b = await startAppInstance(await freePort(), deployment().env);
}, 60_000);

afterAll(async () => {
  await b?.stop();
});

/** A fresh emulated account holding the role, signed in on instance A. */
async function moderator(index: number): Promise<string> {
  const { emulator, app } = deployment();
  const account = await createAccount(emulator, `checked${index}`);
  await control(emulator, "PUT", `/guilds/${HQ}/members/${account.id}`, { roles: [MODERATOR] });
  return (await logInOverHttp(app.url, emulator, account.id)).cookie;
}

describe("re-checks across instances", () => {
  it("cost one Discord call per person per interval, however many pages and instances", async () => {
    const started = Date.now();
    const cookies = await Promise.all(Array.from({ length: PEOPLE }, (_, index) => moderator(index)));
    const atLogin = await answersOn(deployment().emulator, "guild_member");
    expect(atLogin).toBe(PEOPLE);

    const instances = [deployment().app, b];
    let pages = 0;
    /** Pages each person loaded on each instance in each interval: [person][interval][instance]. */
    const loads = cookies.map(() => Array.from({ length: INTERVALS + 1 }, () => [0, 0]));
    await Promise.all(
      cookies.map(async (cookie, person) => {
        for (let load = person; Date.now() - started < RUN_MS; load += 1) {
          const interval = Math.floor((Date.now() - started) / INTERVAL_MS);
          const response = await fetch(`${instances[load % 2]!.url}/dashboard`, {
            headers: { Cookie: cookie },
            redirect: "manual",
          });
          expect(response.status).toBe(200);
          await response.body?.cancel();
          loads[person]![interval]![load % 2]! += 1;
          pages += 1;
        }
      }),
    );
    const elapsedMs = Date.now() - started;
    const rechecks = (await answersOn(deployment().emulator, "guild_member")) - atLogin;
    const perPersonPerInterval = rechecks / PEOPLE / INTERVALS;
    console.log(
      `[access] ${PEOPLE} people, ${pages} pages on 2 instances over ${(elapsedMs / 1000).toFixed(1)} s ` +
        `(${INTERVALS} intervals of ${INTERVAL_MS / 1000} s since their logins): ${rechecks} re-checks, ` +
        `${perPersonPerInterval.toFixed(2)} per person per interval ` +
        `= ${(perPersonPerInterval * 6).toFixed(1)} Discord calls per person per hour at ACCESS_RECHECK_MINUTES=10`,
    );
    // A check per page or per instance would only show if each person loaded pages on both
    // instances in every interval: the run must have done so for its count to mean anything.
    const fewest = Math.min(...loads.flatMap((intervals) => intervals.slice(0, INTERVALS).flat()));
    expect(fewest, "pages some person loaded on one instance in one interval").toBeGreaterThanOrEqual(2);
    // Each person is due once per interval since their login: one check each time, never one
    // per page or per instance. The run ends a second after the fourth interval since it
    // began, so a login slower than that second may miss the last.
    expect(rechecks).toBeLessThanOrEqual(PEOPLE * INTERVALS);
    expect(rechecks).toBeGreaterThanOrEqual(PEOPLE * (INTERVALS - 1));
  });
});
