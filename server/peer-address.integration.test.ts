import { describe, expect, it } from "vitest";
import { seededId } from "../emulator/testing/harness";
import { logInOverHttp } from "../tests/support/app-instances";
import { useDeployment } from "../tests/support/deployment";

// server/peer-address.cjs in the production build: without TRUST_PROXY the app still knows
// which address connected (for the sessions page and per-client rate limits), and no
// header a client sends can change it.

const deployment = useDeployment();

describe("the peer address", () => {
  it("reaches the app from the socket, whatever the client claims in its headers", async () => {
    const { app, emulator, database } = deployment();
    const forged = { "X-Forwarded-For": "203.0.113.66", "X-Peer-Address": "203.0.113.66" };
    await logInOverHttp(app.url, emulator, seededId("nova"), forged);
    const sessions = await database.db.selectFrom("sessions").select("ip").execute();
    expect(sessions).toEqual([{ ip: "127.0.0.1" }]);
  });
});
