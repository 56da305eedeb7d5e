import { json, type ActionFunctionArgs } from "@remix-run/node";
import { getConfig } from "~/config.server";
import { getDb } from "~/db/db.server";
import { forgetGuilds } from "~/discord/guild-cache.server";
import { checkSignature, parseWebhookEvent } from "~/discord/webhook.server";
import { forgetGrant } from "~/models/grant.server";
import { findUserByDiscordId } from "~/models/user.server";
import { readBodyWithLimit } from "~/utils/read-body.server";

const MAX_BODY_BYTES = 64 * 1024;

/** Discord only POSTs here; without DISCORD_PUBLIC_KEY the route does not exist. */
export function loader() {
  return getConfig().discord.publicKey
    ? json({ error: "method_not_allowed" }, { status: 405, headers: { Allow: "POST" } })
    : notFound();
}

/** Webhook events from Discord: PING, and APPLICATION_DEAUTHORIZED when a user removes the app. */
export async function action({ request }: ActionFunctionArgs) {
  const { discord } = getConfig();
  if (!discord.publicKey) return notFound();
  if (request.method !== "POST")
    return json({ error: "method_not_allowed" }, { status: 405, headers: { Allow: "POST" } });

  const rawBody = await readBodyWithLimit(request, MAX_BODY_BYTES);
  if (!rawBody) return json({ error: "payload_too_large" }, { status: 413 });
  const timestamp = request.headers.get("X-Signature-Timestamp");
  const signature = checkSignature(
    discord.publicKey,
    { signature: request.headers.get("X-Signature-Ed25519"), timestamp },
    rawBody,
  );
  if (signature !== "valid") {
    return json({ error: signature === "stale" ? "stale_timestamp" : "invalid_signature" }, { status: 401 });
  }

  const event = parseWebhookEvent(rawBody);
  if (!event) return json({ error: "invalid_body" }, { status: 400 });
  if (event.kind === "deauthorized" && event.applicationId === discord.clientId) {
    const user = await findUserByDiscordId(getDb(), event.discordUserId);
    if (user) {
      // Only what predates the (signed) event: a late delivery must not end a newer login.
      // The timestamp counts whole seconds, so its second is included to the end.
      await forgetGrant(getDb(), user.id, new Date((Number(timestamp) + 1) * 1000));
      forgetGuilds(user.id);
    }
  }
  // Acknowledged whatever it was: Discord stops sending events to endpoints that fail.
  return new Response(null, { status: 204 });
}

function notFound() {
  return json({ error: "not_found" }, { status: 404 });
}
