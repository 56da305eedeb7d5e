import { createPublicKey, verify } from "node:crypto";
import { z } from "zod";
import type { DB } from "~/db/db.server";
import { findUserByDiscordId } from "~/models/user.server";
import { endGrant } from "./grant.server";

/** Signed events older (or further in the future) than this are refused as replays. */
export const SIGNATURE_MAX_AGE_SECONDS = 300;
// DER header of an Ed25519 SubjectPublicKeyInfo; Discord gives the raw 32-byte key in hex.
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

export type SignatureCheck = "valid" | "invalid" | "stale";

/**
 * Checks Discord's Ed25519 signature (X-Signature-Ed25519) over the timestamp
 * (X-Signature-Timestamp) followed by the raw body, and that the timestamp is recent.
 */
export function checkSignature(
  publicKeyHex: string,
  headers: { signature: string | null; timestamp: string | null },
  rawBody: Buffer,
  nowSeconds = Math.floor(Date.now() / 1000),
): SignatureCheck {
  const { signature, timestamp } = headers;
  if (!signature || !/^[0-9a-f]{128}$/i.test(signature) || !timestamp || !/^\d{1,12}$/.test(timestamp))
    return "invalid";
  const key = createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(publicKeyHex, "hex")]),
    format: "der",
    type: "spki",
  });
  const signed = Buffer.concat([Buffer.from(timestamp, "utf8"), rawBody]);
  if (!verify(null, signed, key, Buffer.from(signature, "hex"))) return "invalid";
  return Math.abs(nowSeconds - Number(timestamp)) > SIGNATURE_MAX_AGE_SECONDS ? "stale" : "valid";
}

const webhookBody = z.object({
  application_id: z.string(),
  type: z.number().int(),
  event: z
    .object({
      type: z.string(),
      timestamp: z.string().max(64).optional(),
      data: z.unknown(),
    })
    .optional(),
});

const deauthorizedData = z.object({ user: z.object({ id: z.string().regex(/^\d{1,20}$/) }) });

export type WebhookEvent =
  | { kind: "ping" }
  /** `occurredAt`: when the person removed the app, as the signed body says. */
  | { kind: "deauthorized"; applicationId: string; discordUserId: string; occurredAt: Date }
  | { kind: "other"; type: string };

// Discord writes event times in UTC, without a zone and to the microsecond
// ("2024-10-18T14:42:53.064834"); a zone, when there is one, is honoured.
const EVENT_TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * An event's `timestamp`, to the end of its millisecond (JavaScript dates hold no finer):
 * whatever happened within that millisecond is counted as before the event. Null when it
 * is not a timestamp.
 */
export function eventTime(value: string): Date | null {
  const match = EVENT_TIMESTAMP.exec(value);
  if (!match) return null;
  const [, seconds, fraction = "", zone = "Z"] = match;
  const wholeSeconds = Date.parse(`${seconds}${zone}`);
  if (Number.isNaN(wholeSeconds)) return null;
  const milliseconds = Number(fraction.padEnd(3, "0").slice(0, 3));
  const finer = /[1-9]/.test(fraction.slice(3)) ? 1 : 0;
  return new Date(wholeSeconds + milliseconds + finer);
}

/** Reads a verified webhook body; null when it is not the JSON Discord documents. */
export function parseWebhookEvent(rawBody: Buffer): WebhookEvent | null {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString("utf8"));
  } catch {
    return null;
  }
  const body = webhookBody.safeParse(json);
  if (!body.success) return null;
  if (body.data.type === 0) return { kind: "ping" };
  const event = body.data.event;
  if (body.data.type !== 1 || !event) return null;
  if (event.type !== "APPLICATION_DEAUTHORIZED") return { kind: "other", type: event.type };
  const data = deauthorizedData.safeParse(event.data);
  const occurredAt = event.timestamp === undefined ? null : eventTime(event.timestamp);
  if (!data.success || !occurredAt) return null;
  return {
    kind: "deauthorized",
    applicationId: body.data.application_id,
    discordUserId: data.data.user.id,
    occurredAt,
  };
}

/**
 * Acts on a verified event: APPLICATION_DEAUTHORIZED (the person removed the app on
 * Discord) ends their grant here. Only what predates the event goes, dated by the event
 * itself, not by its delivery: Discord signs every delivery anew, and a retry of an old
 * event, signed after the person authorized the app again, must leave that newer grant.
 */
export async function applyWebhookEvent(
  db: DB,
  event: WebhookEvent,
  { clientId }: { clientId: string },
): Promise<void> {
  if (event.kind !== "deauthorized" || event.applicationId !== clientId) return;
  const user = await findUserByDiscordId(db, event.discordUserId);
  if (user) await endGrant(db, user.id, { endedAt: event.occurredAt });
}
