import { createPublicKey, verify } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../server";
import { api, control, login, seededId } from "../testing/harness";
import { type ReceivedWebhook, type WebhookReceiver, startWebhookReceiver } from "../testing/webhook-receiver";

let receiver: WebhookReceiver;
let emulator: RunningEmulator;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  emulator = await startEmulator({ port: 0, webhookUrl: receiver.url });
});
afterAll(async () => {
  await emulator.close();
  await receiver.close();
});
beforeEach(async () => {
  await control(emulator, "POST", "/reset");
  receiver.received.length = 0;
  receiver.status = 204;
});

/** Verifies like an app would: Ed25519 over timestamp + raw body with the hex public key. */
function signatureVerifies({ headers, rawBody }: ReceivedWebhook, publicKeyHex: string): boolean {
  const spkiPrefix = Buffer.from("302a300506032b6570032100", "hex"); // DER header of an Ed25519 public key
  const key = createPublicKey({
    key: Buffer.concat([spkiPrefix, Buffer.from(publicKeyHex, "hex")]),
    format: "der",
    type: "spki",
  });
  const message = Buffer.from(String(headers["x-signature-timestamp"]) + rawBody);
  return verify(null, message, key, Buffer.from(String(headers["x-signature-ed25519"]), "hex"));
}

describe("POST /_emulator/accounts/{id}/deauthorize", () => {
  it("revokes the grant, sends a PING and then a signed APPLICATION_DEAUTHORIZED event", async () => {
    const nova = seededId("nova");
    const { access_token } = await login(emulator, nova, "identify");
    const before = Math.floor(Date.now() / 1000);

    const report = await control(emulator, "POST", `/accounts/${nova}/deauthorize`);
    expect(report).toMatchObject({
      status: 200,
      body: { revoked: true, webhook: { url: receiver.url, ping: { status: 204 }, event: { status: 204 } } },
    });
    expect((await api(emulator, "/users/@me", access_token)).status).toBe(401);

    expect(receiver.received).toHaveLength(2);
    const [ping, event] = receiver.received as [ReceivedWebhook, ReceivedWebhook];
    expect(JSON.parse(ping.rawBody)).toEqual({ version: 1, application_id: emulator.clientId, type: 0 });
    const body = JSON.parse(event.rawBody);
    expect(body).toMatchObject({
      version: 1,
      application_id: emulator.clientId,
      type: 1,
      event: {
        type: "APPLICATION_DEAUTHORIZED",
        data: { user: { id: nova, username: "nova", global_name: "Nova Quinn" } },
      },
    });
    expect(body.event.data.user).not.toHaveProperty("email");
    // Discord's own format: UTC without a zone, to the microsecond.
    expect(body.event.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/);
    expect(Date.parse(`${body.event.timestamp}Z`)).toBeGreaterThanOrEqual(before * 1000);
    for (const delivery of [ping, event]) {
      expect(delivery.headers["content-type"]).toBe("application/json");
      expect(Number(delivery.headers["x-signature-timestamp"])).toBeGreaterThanOrEqual(before);
      expect(signatureVerifies(delivery, emulator.publicKeyHex)).toBe(true);
    }
    const tampered = { ...event, rawBody: event.rawBody.replace("nova", "mallory") };
    expect(signatureVerifies(tampered, emulator.publicKeyHex)).toBe(false);
  });

  it("pings a URL only once", async () => {
    await login(emulator, seededId("nova"), "identify");
    await login(emulator, seededId("pixelpine"), "identify");
    await control(emulator, "POST", `/accounts/${seededId("nova")}/deauthorize`);
    const second = await control(emulator, "POST", `/accounts/${seededId("pixelpine")}/deauthorize`);
    expect(second.body.webhook).not.toHaveProperty("ping");
    expect(receiver.received.map(({ rawBody }) => JSON.parse(rawBody).type)).toEqual([0, 1, 1]);
  });

  it("reports what the endpoint answered, and sends no events to a URL that refused the PING", async () => {
    await login(emulator, seededId("nova"), "identify");
    receiver.status = 401;
    const report = await control(emulator, "POST", `/accounts/${seededId("nova")}/deauthorize`);
    expect(report.body).toEqual({ revoked: true, webhook: { url: receiver.url, ping: { status: 401 } } });
    expect(receiver.received).toHaveLength(1);
  });

  it("reports an unreachable endpoint without failing the revocation", async () => {
    const unreachable = await startWebhookReceiver();
    await unreachable.close();
    const isolated = await startEmulator({ port: 0, webhookUrl: unreachable.url });
    try {
      await login(isolated, seededId("nova"), "identify");
      const report = await control(isolated, "POST", `/accounts/${seededId("nova")}/deauthorize`);
      expect(report.body).toMatchObject({
        revoked: true,
        webhook: { ping: { error: expect.stringContaining("delivery failed") } },
      });
    } finally {
      await isolated.close();
    }
  });

  it("sends nothing for an account that never authorized the app", async () => {
    const report = await control(emulator, "POST", `/accounts/${seededId("nova")}/deauthorize`);
    expect(report.body).toEqual({ revoked: false, webhook: null });
    expect(receiver.received).toHaveLength(0);
  });
});
