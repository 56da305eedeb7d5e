import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession } from "~/models/session.server";
import { upsertUserFromDiscord } from "~/models/user.server";
import { freePort, sessionCookieFor, startAppInstance, type AppInstance } from "../tests/support/app-instances";
import { useDeployment } from "../tests/support/deployment";
import { startTcpProxy, type TcpProxy } from "../tests/support/tcp-proxy";
import { testServerUrl } from "../tests/support/test-database";
import { bareIdentity } from "../tests/support/identities";

// Two instances of the production build on one Postgres, each serving active sessions
// from memory: a session ended on A must be refused by B at once, B must never serve
// from memory while it may be missing endings, and a database read racing an ending must
// not bring the session back.

// Notifications must cross connections, which the embedded PGlite's do not (every
// connection shares its one session): there the cache stays bypassed, which the last
// test proves; the rest needs a Postgres server (TEST_DATABASE_URL, as in CI).
const deployment = useDeployment();
const server = Boolean(testServerUrl());
let b: AppInstance;
let listenerProxy: TcpProxy;

beforeAll(async () => {
  const { env, database } = deployment();
  // B hears of session changes through a proxy that can be cut; its queries go direct.
  const real = new URL(database.url);
  listenerProxy = await startTcpProxy({ host: real.hostname, port: Number(real.port || 5432) });
  const listenUrl = new URL(database.url);
  listenUrl.host = `127.0.0.1:${listenerProxy.port}`;
  b = await startAppInstance(await freePort(), { ...env, DATABASE_LISTEN_URL: listenUrl.toString() });
  if (server) await Promise.all([untilCache(deployment().app, "live"), untilCache(b, "live")]);
}, 60_000);

afterAll(async () => {
  await b?.stop();
  await listenerProxy?.close();
});

async function cacheState(app: AppInstance): Promise<string> {
  return ((await (await fetch(`${app.url}/healthz`)).json()) as { session_cache: string }).session_cache;
}

async function untilCache(app: AppInstance, state: "live" | "bypassed"): Promise<void> {
  const deadline = Date.now() + 20_000;
  while ((await cacheState(app)) !== state) {
    if (Date.now() > deadline) throw new Error(`${app.url}: the session cache never became ${state}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let users = 0;
/** A signed-in person, straight into the database (logins are not what is measured). */
async function newSession(): Promise<string> {
  const { database, env } = deployment();
  users += 1;
  const user = await upsertUserFromDiscord(
    database.db,
    bareIdentity(String(100_000_000_000_000_000n + BigInt(users)), `cached.${users}`),
  );
  const { secret } = await createSession(database.db, user.id, { userAgent: null, ip: null }, 60 * 60_000);
  return sessionCookieFor(env, secret);
}

async function accepts(app: AppInstance, cookie: string): Promise<boolean> {
  const response = await fetch(`${app.url}/api/auth/user`, { headers: { Cookie: cookie } });
  await response.body?.cancel();
  return response.status === 200;
}

async function logOutOn(app: AppInstance, cookie: string): Promise<void> {
  const response = await fetch(`${app.url}/logout`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: deployment().env.APP_URL! },
    redirect: "manual",
  });
  expect(response.status).toBe(302);
}

describe.skipIf(!server)("sessions in memory on two instances", () => {
  it("a session ended on A is refused by B within moments (p99 over 200 endings)", async () => {
    const a = deployment().app;
    const delays: number[] = [];
    for (let trial = 0; trial < 200; trial += 1) {
      const cookie = await newSession();
      expect(await accepts(b, cookie)).toBe(true); // B has it in memory now
      await logOutOn(a, cookie); // committed when A answers
      const ended = performance.now();
      while (await accepts(b, cookie)) {
        if (performance.now() - ended > 5_000) throw new Error("B still accepted the session 5 s after it ended");
      }
      delays.push(performance.now() - ended);
    }
    delays.sort((x, y) => x - y);
    const p = (q: number) => delays[Math.min(delays.length - 1, Math.floor(q * delays.length))]!;
    // Reported, not asserted against a clock: `npm run bench` measures it against its target.
    console.log(
      `[session-cache] ended on A, refused by B after: p50 ${p(0.5).toFixed(1)} ms, p99 ${p(0.99).toFixed(1)} ms, max ${p(1).toFixed(1)} ms (200 endings)`,
    );
    expect(delays).toHaveLength(200);
  }, 120_000);

  it("with its listening connection cut, B accepts none of the sessions ended on A, at any moment", async () => {
    const a = deployment().app;
    const cookies = await Promise.all(Array.from({ length: 20 }, () => newSession()));
    for (const cookie of cookies) expect(await accepts(b, cookie)).toBe(true);
    listenerProxy.cut();
    try {
      // Watch B all along, while the sessions end on A.
      let watching = true;
      const endedAt = new Map<string, number>();
      const acceptedAfterEnd: string[] = [];
      const watcher = (async () => {
        while (watching) {
          for (const cookie of cookies) {
            const checkedAt = performance.now();
            if ((await accepts(b, cookie)) && (endedAt.get(cookie) ?? Infinity) < checkedAt)
              acceptedAfterEnd.push(cookie);
          }
        }
      })();
      for (const cookie of cookies) {
        await logOutOn(a, cookie);
        endedAt.set(cookie, performance.now());
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      watching = false;
      await watcher;
      expect(acceptedAfterEnd).toEqual([]);
      expect(await cacheState(b)).toBe("bypassed");
    } finally {
      listenerProxy.restore();
    }
    await untilCache(b, "live"); // proven again, and starting empty
    for (const cookie of cookies) expect(await accepts(b, cookie)).toBe(false);
  }, 60_000);

  it("racing endings and loads never bring an ended session back", async () => {
    const a = deployment().app;
    const cookies = await Promise.all(Array.from({ length: 60 }, () => newSession()));
    const resurrected: string[] = [];
    await Promise.all(
      cookies.map(async (cookie) => {
        // Loads on both instances race the ending on A...
        const loads = Array.from({ length: 6 }, (_, index) => accepts(index % 2 ? b : a, cookie));
        await Promise.all([logOutOn(a, cookie), ...loads]);
        // ...then, once B has heard (it refuses once), it must refuse for good.
        const deadline = performance.now() + 5_000;
        while (await accepts(b, cookie)) {
          if (performance.now() > deadline) throw new Error("B still accepted an ended session after 5 s");
        }
        for (let check = 0; check < 10; check += 1) {
          if ((await accepts(b, cookie)) || (await accepts(a, cookie))) resurrected.push(cookie);
        }
      }),
    );
    expect(resurrected).toEqual([]);
  }, 60_000);
});

describe.skipIf(server)("on a database whose notifications do not cross connections", () => {
  it("never uses the cache, and still ends sessions everywhere at once", async () => {
    await new Promise((resolve) => setTimeout(resolve, 6_000)); // past the first proofs
    expect(await cacheState(deployment().app)).toBe("bypassed");
    expect(await cacheState(b)).toBe("bypassed");
    const cookie = await newSession();
    expect(await accepts(b, cookie)).toBe(true);
    await logOutOn(deployment().app, cookie);
    expect(await accepts(b, cookie)).toBe(false);
  }, 30_000);
});
