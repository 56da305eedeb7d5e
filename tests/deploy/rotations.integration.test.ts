import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { encryptionKeysFrom } from "~/config.server";
import { sessionSecretId } from "~/models/secret-checks.server";
import { controlOk, counters, createAccount } from "../../emulator/testing/harness";
import {
  logInThroughProxy,
  runScript,
  startProxiedDeployment,
  type Instance,
  type ProxiedDeployment,
} from "../support/proxied-deployment";

// docs/deploy.md section 9, done as written on two instances behind Caddy while people use
// the site: TOKEN_ENCRYPTION_KEY in three rollouts and a reseal, SESSION_SECRET in two,
// each rollout one instance at a time (section 8). Meanwhile tokens are refreshed (sealed
// anew, under whichever key the serving instance puts first) and people log in (cookies
// signed by one instance, read by the other). Not one request may fail.

let deployment: ProxiedDeployment;
const report: string[] = [];

beforeAll(async () => {
  deployment = await startProxiedDeployment();
}, 180_000);

afterAll(async () => {
  await deployment?.stop();
  if (report.length) console.log(`[rotations]\n  ${report.join("\n  ")}`);
});

const newKey = () => randomBytes(32).toString("base64");
const keyId = (key: string) => encryptionKeysFrom(key)![0]!.id;

/** Section 8: one instance at a time, back in Caddy's rotation before the next. */
async function rollOut(changes: Record<string, string>): Promise<void> {
  for (const instance of deployment.instances) {
    instance.configure(changes);
    expect(await instance.stop()).toBe(0);
    await instance.start();
    await backInRotation(instance);
  }
}

async function backInRotation(instance: Instance): Promise<void> {
  const served = instance.requests().length;
  await vi.waitFor(() => expect(instance.requests().length).toBeGreaterThan(served), { timeout: 15_000 });
}

describe("rotating secrets as the guide says, under load", () => {
  it("TOKEN_ENCRYPTION_KEY then SESSION_SECRET across two instances: no request fails", async () => {
    const people = await Promise.all(
      [1, 2, 3].map(async (n) => {
        const account = await createAccount(deployment.emulator, `rotate${n}`, { global_name: `Rotate ${n}` });
        await controlOk(deployment.emulator, "POST", "/guilds", { name: `Rotation ${n}`, owner_id: account.id });
        return account;
      }),
    );
    const cookies = await Promise.all(people.map((person) => logInThroughProxy(deployment, person.id)));

    const refreshesBefore = (await counters(deployment.emulator)).refreshes as number;
    const failures: string[] = [];
    const counts = { pages: 0, expiries: 0, logins: 0 };
    let running = true;
    // Pages that open the stored Discord token (/servers) and the session (/dashboard).
    const readers = cookies.map(async (cookie, index) => {
      for (let turn = index; running; turn++) {
        const pathname = turn % 2 === 0 ? "/servers" : "/dashboard";
        const answer = await deployment.get(pathname, { Cookie: cookie }).catch((error: Error) => error);
        counts.pages += 1;
        if (answer instanceof Error || answer.status !== 200) {
          failures.push(`${pathname}: ${answer instanceof Error ? answer.message : answer.status}`);
        }
      }
    });
    // Everyone's access token expires again and again: the next /servers refreshes it and
    // seals the new tokens under the serving instance's first key.
    const expirer = (async () => {
      while (running) {
        const { numUpdatedRows } = await deployment.database.db
          .updateTable("discord_tokens")
          .set({ access_token_expires_at: new Date(Date.now() - 60_000) })
          .executeTakeFirst();
        counts.expiries += Number(numUpdatedRows);
        await new Promise((resolve) => setTimeout(resolve, 400));
      }
    })();
    // New logins: a cookie signed by one instance, then read by whichever Caddy picks;
    // one every 3.5 s, within the 20 a minute one address may start.
    const logins = (async () => {
      for (let turn = 0; running; turn++) {
        const paced = new Promise((resolve) => setTimeout(resolve, 3_500));
        const person = people[turn % people.length]!;
        try {
          const cookie = await logInThroughProxy(deployment, person.id);
          const page = await deployment.get("/dashboard", { Cookie: cookie });
          if (page.status !== 200) failures.push(`/dashboard after a new login: ${page.status}`);
          counts.logins += 1;
        } catch (error) {
          failures.push(`login: ${(error as Error).message}`);
        }
        await paced;
      }
    })();

    const step = async (what: string, work: () => Promise<unknown>) => {
      const before = { ...counts };
      const started = Date.now();
      await work();
      report.push(
        `${what}: ${((Date.now() - started) / 1000).toFixed(1)} s, ${counts.pages - before.pages} pages, ` +
          `${counts.logins - before.logins} logins, ${failures.length} failed so far ${JSON.stringify(failures.slice(0, 3))}`,
      );
    };

    const oldKey = deployment.env.TOKEN_ENCRYPTION_KEY!;
    const nextKey = newKey();
    await step("key: new one second (old,new)", () => rollOut({ TOKEN_ENCRYPTION_KEY: `${oldKey},${nextKey}` }));
    await step("key: new one first (new,old)", () => rollOut({ TOKEN_ENCRYPTION_KEY: `${nextKey},${oldKey}` }));
    let resealed = "";
    await step("key: npm run tokens:reseal", async () => {
      resealed = await runScript("scripts/reseal-tokens", {
        ...deployment.env,
        TOKEN_ENCRYPTION_KEY: `${nextKey},${oldKey}`,
      });
    });
    expect(resealed).toContain(`No stored token uses key ${keyId(oldKey)} any more`);
    await step("key: old one removed (new)", () => rollOut({ TOKEN_ENCRYPTION_KEY: nextKey }));

    const oldSecret = deployment.env.SESSION_SECRET!;
    const nextSecret = newKey();
    await step("secret: new one second (old,new)", () => rollOut({ SESSION_SECRET: `${oldSecret},${nextSecret}` }));
    await step("secret: new one first (new,old)", () => rollOut({ SESSION_SECRET: `${nextSecret},${oldSecret}` }));

    running = false;
    await Promise.all([...readers, expirer, logins]);
    const refreshes = ((await counters(deployment.emulator)).refreshes as number) - refreshesBefore;
    report.push(
      `in all: ${counts.pages} pages and ${counts.logins} logins through Caddy, ${refreshes} tokens refreshed (sealed anew), ` +
        `${failures.length} failed; reseal said: ${resealed.trim().split("\n").at(-1)}`,
    );
    const kinds = new Map<string, number>();
    for (const failure of failures) kinds.set(failure, (kinds.get(failure) ?? 0) + 1);
    expect(Object.fromEntries(kinds)).toEqual({});
    // The instances now sign with the new secret: a cookie of the old one stays valid
    // until it expires (the old secret is removed only then, as the guide says).
    const recorded = await deployment.database.db
      .selectFrom("secret_checks")
      .select("id")
      .where("kind", "=", "session-secret")
      .execute();
    expect(recorded.map((row) => row.id)).toContain(sessionSecretId(nextSecret));
    expect(counts.logins).toBeGreaterThan(0);
    expect(refreshes).toBeGreaterThan(0);
  }, 300_000);
});
