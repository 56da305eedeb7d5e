import { describe, expect, it } from "vitest";
import { useDeployment } from "../tests/support/deployment";
import { logEntries } from "../tests/support/log-lines";

// server/request-log.cjs behind a declared proxy (TRUST_PROXY=1): the request id the proxy
// assigned is kept, in the answer and the log line, only when it has the shape of one;
// anything else, which may be the client's own passed through, is replaced.

const deployment = useDeployment({ env: { TRUST_PROXY: "1" } });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function requestIdFor(sent: string): Promise<string> {
  const response = await fetch(`${deployment().app.url}/login`, { headers: { "X-Request-Id": sent } });
  expect(response.status).toBe(200);
  await response.text();
  return response.headers.get("X-Request-Id")!;
}

/** The ids of the request lines logged so far. */
function loggedRequestIds(): string[] {
  return logEntries(deployment().app.output())
    .filter((entry) => entry.msg === "request")
    .map((entry) => entry.request_id!);
}

describe("the request id", () => {
  it.each(["0f8fad5b-d9cb-469f-a165-70867728950e", "6a1e0c5d2b8f4e7a9c3d1b0e5f7a2c4d", "01JEXAMPLE0ULID00000000000"])(
    "keeps the id a proxy assigned: %s",
    async (id) => {
      expect(await requestIdFor(id)).toBe(id);
      await expect.poll(loggedRequestIds).toContain(id);
    },
  );

  it.each([
    ["too long", "a".repeat(65)],
    ["too short", "a"],
    ["dots and underscores", "a.b_c.d_e.f"],
    ["a space", "abc def ghi"],
    ["quotes and braces", '{"level":"error"}'],
    ["raw bytes of wide characters", Buffer.from("\u3000".repeat(10)).toString("latin1")],
  ])("replaces one that is %s with its own", async (_shape, sent) => {
    const id = await requestIdFor(sent);
    expect(id).toMatch(UUID);
    await expect.poll(loggedRequestIds).toContain(id);
    expect(loggedRequestIds()).not.toContain(sent);
  });
});
