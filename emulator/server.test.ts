import { Agent, request } from "node:http";
import { describe, expect, it } from "vitest";
import { startEmulator } from "./server";

describe("startEmulator", () => {
  it("reports its URL, credentials and a 32-byte public key", async () => {
    const emulator = await startEmulator({ port: 0, clientId: "123456789012345678", clientSecret: "another-secret" });
    try {
      expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(emulator).toMatchObject({ clientId: "123456789012345678", clientSecret: "another-secret" });
      expect(emulator.publicKeyHex).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      await emulator.close();
    }
  });

  it("generates a new key pair at each start", async () => {
    const [first, second] = await Promise.all([startEmulator({ port: 0 }), startEmulator({ port: 0 })]);
    expect(first.publicKeyHex).not.toBe(second.publicKeyHex);
    await Promise.all([first.close(), second.close()]);
  });

  it("rejects invalid options with the option's name", async () => {
    await expect(startEmulator({ port: 0, redirectUris: [] })).rejects.toThrow(
      "Invalid emulator option redirectUris: must list at least one URI",
    );
    await expect(startEmulator({ port: 0, codeTtlSeconds: -1 })).rejects.toThrow("codeTtlSeconds");
  });

  it("closes without waiting for an idle keep-alive connection to time out", async () => {
    const emulator = await startEmulator({ port: 0 });
    const agent = new Agent({ keepAlive: true });
    const answer = await new Promise<{ status: number; keepAlive: string | undefined }>((resolve, reject) => {
      request(`${emulator.url}/_emulator/counters`, { agent }, (response) => {
        response.resume();
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, keepAlive: String(response.headers["keep-alive"] ?? "") }),
        );
      })
        .on("error", reject)
        .end();
    });
    expect(answer.status).toBe(200);
    // The server says how long it keeps an idle connection; waiting on this one would take that long.
    const idleTimeoutMs = Number(/timeout=(\d+)/.exec(answer.keepAlive ?? "")?.[1]) * 1000;
    expect(idleTimeoutMs).toBeGreaterThan(0);
    expect(Object.values(agent.freeSockets).flat()).toHaveLength(1); // the idle connection, still open
    const started = performance.now();
    await emulator.close();
    const closeMs = performance.now() - started;
    console.log(`[emulator] close() with an idle keep-alive connection open: ${closeMs.toFixed(0)} ms`);
    expect(closeMs).toBeLessThan(idleTimeoutMs);
    await expect(fetch(`${emulator.url}/_emulator/counters`)).rejects.toThrow();
    agent.destroy();
  });

  it("answers malformed request targets with 400", async () => {
    const emulator = await startEmulator({ port: 0 });
    try {
      const status = await new Promise<number>((resolve, reject) => {
        request(emulator.url, { path: "//double/slash" }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        })
          .on("error", reject)
          .end();
      });
      expect(status).toBe(400);
    } finally {
      await emulator.close();
    }
  });
});
