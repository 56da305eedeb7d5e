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
      data: z.unknown(),
    })
    .optional(),
});

const deauthorizedData = z.object({ user: z.object({ id: z.string().regex(/^\d{1,20}$/) }) });

export type WebhookEvent =
  | { kind: "ping" }
  | { kind: "deauthorized"; applicationId: string; discordUserId: string }
  | { kind: "other"; type: string };

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
  return data.success
    ? { kind: "deauthorized", applicationId: body.data.application_id, discordUserId: data.data.user.id }
    : null;
}

/**
 * Acts on a verified event: APPLICATION_DEAUTHORIZED (the person removed the app on
 * Discord) ends their grant here. Only what predates the signed event goes, so a late
 * delivery cannot end a newer login; the timestamp counts whole seconds, so its second is
 * included to the end.
 */
export async function applyWebhookEvent(
  db: DB,
  event: WebhookEvent,
  { clientId, signedAt }: { clientId: string; signedAt: number },
): Promise<void> {
  if (event.kind !== "deauthorized" || event.applicationId !== clientId) return;
  const user = await findUserByDiscordId(db, event.discordUserId);
  if (user) await endGrant(db, user.id, { endedAt: new Date((signedAt + 1) * 1000) });
}
