import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as healthz from "~/routes/healthz";
import { useTestApp } from "../../tests/support/app-harness";
import { TestBrowser } from "../../tests/support/test-browser";
import { createDatabase } from "./db.server";
import { checkDatabase } from "./health.server";

const app = useTestApp();

// A "database" that accepts connections and never says a word: a hung server.
let silent: Server;
const sockets: Socket[] = [];
beforeAll(async () => {
  silent = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

describe("health", () => {
  it("GET /healthz answers 200 when the database answers, and no more to a caller not on this machine", async () => {
    // A request with no connecting address (a handler called directly) is not known to be local.
    const result = await new TestBrowser().get(healthz.loader, "/healthz");
    expect(result.status).toBe(200);
    expect(result.headers.get("Cache-Control")).toBe("no-store");
    expect(JSON.parse(result.body)).toEqual({ status: "ok" });
    expect(await checkDatabase(app().db)).toEqual({ ok: true });
  });

  it("reports a database nobody listens on as unreachable", async () => {
    const db = createDatabase("postgres://postgres@127.0.0.1:1/none");
    try {
      expect(await checkDatabase(db)).toEqual({ ok: false, reason: "unreachable" });
    } finally {
      await db.destroy();
    }
  });

  it("gives up on a database that never answers instead of hanging", async () => {
    const { port } = silent.address() as { port: number };
    const db = createDatabase(`postgres://postgres@127.0.0.1:${port}/none`);
    try {
      expect(await checkDatabase(db)).toEqual({ ok: false, reason: "timeout" });
    } finally {
      for (const socket of sockets) socket.destroy();
      await db.destroy();
    }
  });
});
