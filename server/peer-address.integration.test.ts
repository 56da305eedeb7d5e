import { request as httpRequest } from "node:http";
import { networkInterfaces } from "node:os";
import { describe, expect, it } from "vitest";
import { seededId } from "../emulator/testing/harness";
import { logInOverHttp } from "../tests/support/app-instances";
import { useDeployment } from "../tests/support/deployment";

// server/peer-address.cjs in the production build: without TRUST_PROXY the app still knows
// which address connected (for the sessions page and per-client rate limits), and no
// header a client sends can change it.

const LOGINS_PER_MINUTE = 2;
/** An IPv4 address of this machine that is not loopback, where it has one. */
const externalAddress = Object.values(networkInterfaces())
  .flat()
  .find((address) => address && address.family === "IPv4" && !address.internal)?.address;
const deployment = useDeployment({ env: { RATE_LIMIT_LOGINS_PER_MINUTE: String(LOGINS_PER_MINUTE) } });

/** A login start sent from `localAddress` (any 127.x address reaches the app), with `headers`. */
function startLoginFrom(localAddress: string, headers: Record<string, string> = {}): Promise<number> {
  const { port } = new URL(deployment().app.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port,
        localAddress,
        method: "POST",
        path: "/auth/discord",
        headers: { Origin: deployment().app.url, "Content-Length": "0", ...headers },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode!);
      },
    );
    req.on("error", reject);
    req.end();
  });
}

/** Runs `attempts` again if a rate-limit window (a whole minute) began while it ran. */
async function withinOneWindow<T>(attempts: () => Promise<T>): Promise<T> {
  for (;;) {
    const minute = Math.floor(Date.now() / 60_000);
    const result = await attempts();
    if (Math.floor(Date.now() / 60_000) === minute) return result;
  }
}

describe("the peer address", () => {
  it("reaches the app from the socket, whatever the client claims in its headers", async () => {
    const { app, emulator, database } = deployment();
    const forged = { "X-Forwarded-For": "203.0.113.66", "X-Peer-Address": "203.0.113.66" };
    await logInOverHttp(app.url, emulator, seededId("nova"), forged);
    const sessions = await database.db.selectFrom("sessions").select("ip").execute();
    expect(sessions).toEqual([{ ip: "127.0.0.1" }]);
  });

  it("counts rate limits by the connecting address: a forwarding header neither widens a client's allowance nor spends another's", async () => {
    // Each round from addresses of its own, so a round repeated in a new window starts afresh.
    let round = 0;
    const { forged, neighbour } = await withinOneWindow(async () => {
      round += 1;
      const forged: number[] = [];
      // A client claiming to be someone new each time, as if behind a proxy nobody declared,
      // until it is refused (or has had more than any shared allowance could give).
      for (let attempt = 0; attempt <= 50 * LOGINS_PER_MINUTE && forged.at(-1) !== 429; attempt += 1) {
        forged.push(await startLoginFrom(`127.0.${round}.2`, { "X-Forwarded-For": `203.0.113.${attempt % 250}` }));
      }
      const neighbour = await startLoginFrom(`127.0.${round}.3`, { "X-Forwarded-For": "203.0.113.1" });
      return { forged, neighbour };
    });
    expect(forged).toEqual([...Array<number>(LOGINS_PER_MINUTE).fill(302), 429]);
    expect(neighbour).toBe(302);
  });

  it("tells /healthz's detail only to a program on this machine asking directly", async () => {
    const health = async (headers: Record<string, string> = {}) => {
      const response = await fetch(`${deployment().app.url}/healthz`, { headers });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    expect(await health()).toEqual({
      status: 200,
      body: { status: "ok", database: "ok", session_cache: expect.stringMatching(/^(live|bypassed)$/) },
    });
    // Through a proxy, every client would connect from the proxy's (loopback) address.
    const relayed: Array<Record<string, string>> = [
      { "X-Forwarded-For": "203.0.113.9" },
      { Forwarded: "for=203.0.113.9" },
    ];
    for (const forwarded of relayed) {
      expect(await health(forwarded)).toEqual({ status: 200, body: { status: "ok" } });
    }
  });

  // Stands in for another machine: an address of this one that is not loopback.
  it.skipIf(!externalAddress)("keeps /healthz's detail from a client that is not on this machine", async () => {
    const { port } = new URL(deployment().app.url);
    const response = await fetch(`http://${externalAddress}:${port}/healthz`);
    expect({ status: response.status, body: await response.json() }).toEqual({ status: 200, body: { status: "ok" } });
  });
});
