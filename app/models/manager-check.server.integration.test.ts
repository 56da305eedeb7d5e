import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../tests/support/test-database";
import {
  claimManagerCheck,
  readManagerStanding,
  recordManagedGuilds,
  releaseManagerCheck,
} from "./manager-check.server";
import { upsertUserFromDiscord } from "./user.server";

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(async () => {
  await test?.destroy();
});

let nextPerson = 0;
async function aPerson(): Promise<string> {
  nextPerson += 1;
  const user = await upsertUserFromDiscord(test.db, {
    discordId: `91000000000000000${nextPerson}`,
    username: `manager${nextPerson}`,
    discriminator: null,
    globalName: null,
    avatarHash: null,
    email: null,
    emailVerified: false,
  });
  return user.id;
}

const CHECK = { leaseMs: 20_000, intervalMs: 60_000 };
const at = (seconds: number) => new Date(Date.UTC(2026, 11, 5, 12, 0, seconds));

describe("a person's manager check, shared by every instance", () => {
  it("is claimed by exactly one of many callers at once, and the others see it in flight", async () => {
    const userId = await aPerson();
    const claims = await Promise.all(Array.from({ length: 6 }, () => claimManagerCheck(test.db, userId, CHECK, at(0))));
    expect(claims.filter((claim) => claim.claimed)).toHaveLength(1);
    for (const claim of claims.filter((claim) => !claim.claimed)) {
      expect(claim).toEqual({
        claimed: false,
        standing: { checkedAt: null, managedGuildIds: [], nextCheckAt: at(20) },
      });
    }
  });

  it("records Discord's answer under the lease, then is not due again until the interval has passed", async () => {
    const userId = await aPerson();
    const claim = await claimManagerCheck(test.db, userId, CHECK, at(0));
    if (!claim.claimed) throw new Error("the first claim must be taken");
    const recorded = await recordManagedGuilds(
      test.db,
      userId,
      claim.lease,
      { managedGuildIds: ["1", "2"], nextCheckAt: at(60) },
      at(1),
    );
    expect(recorded).toEqual({ checkedAt: at(1), managedGuildIds: ["1", "2"], nextCheckAt: at(60) });
    expect(await claimManagerCheck(test.db, userId, CHECK, at(59))).toMatchObject({ claimed: false });
    expect(await claimManagerCheck(test.db, userId, CHECK, at(60))).toMatchObject({ claimed: true });
  });

  it("refuses a late answer from a check that lost its lease, keeping the newer one", async () => {
    const userId = await aPerson();
    const slow = await claimManagerCheck(test.db, userId, CHECK, at(0));
    const fast = await claimManagerCheck(test.db, userId, CHECK, at(21)); // the slow one's lease ran out
    if (!slow.claimed || !fast.claimed) throw new Error("both claims must be taken");
    expect(
      await recordManagedGuilds(test.db, userId, fast.lease, { managedGuildIds: [], nextCheckAt: at(81) }, at(22)),
    ).not.toBeNull();
    expect(
      await recordManagedGuilds(test.db, userId, slow.lease, { managedGuildIds: ["1"], nextCheckAt: at(80) }, at(23)),
    ).toBeNull();
    expect(await readManagerStanding(test.db, userId)).toMatchObject({ managedGuildIds: [] });
  });

  it("is due again at once when the claimer gives it back, and when the interval was shortened", async () => {
    const userId = await aPerson();
    const claim = await claimManagerCheck(test.db, userId, CHECK, at(0));
    if (!claim.claimed) throw new Error("the first claim must be taken");
    await releaseManagerCheck(test.db, userId, claim.lease, at(2));
    expect(await claimManagerCheck(test.db, userId, CHECK, at(3))).toMatchObject({ claimed: true });

    const other = await aPerson();
    const long = await claimManagerCheck(test.db, other, { leaseMs: 20_000, intervalMs: 3_600_000 }, at(0));
    if (!long.claimed) throw new Error("the first claim must be taken");
    await recordManagedGuilds(test.db, other, long.lease, { managedGuildIds: [], nextCheckAt: at(3_600) }, at(1));
    expect(await claimManagerCheck(test.db, other, CHECK, at(5))).toMatchObject({ claimed: true });
  });

  it("goes with the person's account", async () => {
    const userId = await aPerson();
    await claimManagerCheck(test.db, userId, CHECK, at(0));
    await test.db.deleteFrom("users").where("id", "=", userId).execute();
    expect(await readManagerStanding(test.db, userId)).toBeNull();
  });
});
