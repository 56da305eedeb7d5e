import { request } from "node:http";
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

  it("closes promptly even with an idle keep-alive connection open", async () => {
    const emulator = await startEmulator({ port: 0 });
    const agentResponse = await new Promise<number>((resolve, reject) => {
      request(`${emulator.url}/_emulator/counters`, { headers: { Connection: "keep-alive" } }, (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
      })
        .on("error", reject)
        .end();
    });
    expect(agentResponse).toBe(200);
    const started = performance.now();
    await emulator.close();
    expect(performance.now() - started).toBeLessThan(1000);
    await expect(fetch(`${emulator.url}/_emulator/counters`)).rejects.toThrow();
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
