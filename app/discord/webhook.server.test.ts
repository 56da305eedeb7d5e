import { generateKeyPairSync, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkSignature, parseWebhookEvent, SIGNATURE_MAX_AGE_SECONDS } from "./webhook.server";

const { publicKey, privateKey } = generateKeyPairSync("ed25519");
const publicKeyHex = publicKey.export({ format: "der", type: "spki" }).subarray(-32).toString("hex");
const now = 1_800_000_000;

function signed(body: string, timestamp = String(now)) {
  return { signature: sign(null, Buffer.from(timestamp + body), privateKey).toString("hex"), timestamp };
}

describe("checkSignature", () => {
  const body = '{"type":0}';

  it("accepts Discord's signature over timestamp + body", () => {
    expect(checkSignature(publicKeyHex, signed(body), Buffer.from(body), now)).toBe("valid");
  });

  it("refuses another body, another timestamp, another key, or junk", () => {
    const headers = signed(body);
    expect(checkSignature(publicKeyHex, headers, Buffer.from('{"type":1}'), now)).toBe("invalid");
    expect(checkSignature(publicKeyHex, { ...headers, timestamp: String(now + 1) }, Buffer.from(body), now)).toBe(
      "invalid",
    );
    const other = generateKeyPairSync("ed25519")
      .publicKey.export({ format: "der", type: "spki" })
      .subarray(-32)
      .toString("hex");
    expect(checkSignature(other, headers, Buffer.from(body), now)).toBe("invalid");
    expect(
      checkSignature(publicKeyHex, { signature: "zz", timestamp: headers.timestamp }, Buffer.from(body), now),
    ).toBe("invalid");
    expect(checkSignature(publicKeyHex, { signature: null, timestamp: null }, Buffer.from(body), now)).toBe("invalid");
  });

  it("refuses a correctly signed but stale (replayed) event", () => {
    const old = signed(body, String(now - SIGNATURE_MAX_AGE_SECONDS - 1));
    expect(checkSignature(publicKeyHex, old, Buffer.from(body), now)).toBe("stale");
    const edge = signed(body, String(now - SIGNATURE_MAX_AGE_SECONDS));
    expect(checkSignature(publicKeyHex, edge, Buffer.from(body), now)).toBe("valid");
  });
});

describe("parseWebhookEvent", () => {
  const parse = (value: unknown) =>
    parseWebhookEvent(Buffer.from(typeof value === "string" ? value : JSON.stringify(value)));

  it("reads PINGs and deauthorizations", () => {
    expect(parse({ version: 1, application_id: "1", type: 0 })).toEqual({ kind: "ping" });
    const event = {
      type: "APPLICATION_DEAUTHORIZED",
      timestamp: "2026-01-01T00:00:00Z",
      data: { user: { id: "80351110224678912", username: "x" } },
    };
    expect(parse({ version: 1, application_id: "1", type: 1, event })).toEqual({
      kind: "deauthorized",
      applicationId: "1",
      discordUserId: "80351110224678912",
      occurredAt: new Date("2026-01-01T00:00:00Z"),
    });
    expect(
      parse({ version: 1, application_id: "1", type: 1, event: { type: "ENTITLEMENT_CREATE", data: {} } }),
    ).toEqual({
      kind: "other",
      type: "ENTITLEMENT_CREATE",
    });
  });

  it("dates a deauthorization by the event's own timestamp, in UTC, to the end of its millisecond", () => {
    const deauthorized = (timestamp?: string) =>
      parse({
        version: 1,
        application_id: "1",
        type: 1,
        event: { type: "APPLICATION_DEAUTHORIZED", timestamp, data: { user: { id: "80351110224678912" } } },
      });
    // Discord's own example: no zone (UTC), microseconds.
    expect(deauthorized("2024-10-18T14:42:53.064834")).toMatchObject({
      occurredAt: new Date("2024-10-18T14:42:53.065Z"),
    });
    expect(deauthorized("2024-10-18T14:42:53.064000")).toMatchObject({
      occurredAt: new Date("2024-10-18T14:42:53.064Z"),
    });
    expect(deauthorized("2024-10-18T16:42:53+02:00")).toMatchObject({ occurredAt: new Date("2024-10-18T14:42:53Z") });
    for (const timestamp of [undefined, "", "yesterday", "2024-10-18", "2024-13-45T99:00:00", "1729262573"]) {
      expect(deauthorized(timestamp), String(timestamp)).toBeNull();
    }
  });

  it("refuses what is not Discord's documented JSON", () => {
    expect(parse("not json")).toBeNull();
    expect(parse({ type: "0" })).toBeNull();
    expect(parse({ application_id: "1", type: 1 })).toBeNull();
    expect(
      parse({
        application_id: "1",
        type: 1,
        event: { type: "APPLICATION_DEAUTHORIZED", data: { user: { id: "abc" } } },
      }),
    ).toBeNull();
  });
});
