import type { ActionFunctionArgs } from "@remix-run/node";
import { getConfig } from "~/config.server";
import { getDb } from "~/db/db.server";
import { applyWebhookEvent, checkSignature, parseWebhookEvent } from "~/discord/webhook.server";
import { jsonError, jsonMethodNotAllowed } from "~/utils/json-response.server";
import { readBodyWithLimit } from "~/utils/read-body.server";

const MAX_BODY_BYTES = 64 * 1024;

/** Discord only POSTs here; without DISCORD_PUBLIC_KEY the route does not exist. */
export function loader() {
  return getConfig().discord.publicKey ? jsonMethodNotAllowed("POST") : notFound();
}

/** Webhook events from Discord: PING, and APPLICATION_DEAUTHORIZED when a user removes the app. */
export async function action({ request }: ActionFunctionArgs) {
  const { discord } = getConfig();
  if (!discord.publicKey) return notFound();
  if (request.method !== "POST") return jsonMethodNotAllowed("POST");

  const rawBody = await readBodyWithLimit(request, MAX_BODY_BYTES);
  if (!rawBody) return jsonError(413, "payload_too_large", `Webhook bodies are at most ${MAX_BODY_BYTES} bytes.`);
  const signature = checkSignature(
    discord.publicKey,
    { signature: request.headers.get("X-Signature-Ed25519"), timestamp: request.headers.get("X-Signature-Timestamp") },
    rawBody,
  );
  if (signature !== "valid") {
    return signature === "stale"
      ? jsonError(401, "stale_timestamp", "The signed timestamp is too old or too far ahead.")
      : jsonError(401, "invalid_signature", "The request is not signed with this application's key.");
  }

  const event = parseWebhookEvent(rawBody);
  if (!event) return jsonError(400, "invalid_body", "The signed body is not a webhook event.");
  await applyWebhookEvent(getDb(), event, { clientId: discord.clientId });
  // Acknowledged whatever it was: Discord stops sending events to endpoints that fail.
  return new Response(null, { status: 204 });
}

function notFound() {
  return jsonError(404, "not_found", "Webhooks are not enabled here (DISCORD_PUBLIC_KEY is unset).");
}
