import type { SigningKeys } from "./signing-keys";

/** Discord expects webhook endpoints to answer within three seconds. */
const DELIVERY_TIMEOUT_MS = 3000;

export type Delivery = { readonly status: number } | { readonly error: string };

/** POSTs a webhook body signed like Discord's: Ed25519 over timestamp + raw body. */
export async function deliverSigned(url: string, payload: unknown, keys: SigningKeys): Promise<Delivery> {
  const body = JSON.stringify(payload);
  const timestamp = String(Math.floor(Date.now() / 1000));
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "User-Agent": "Discord-Webhook-Events/1.0 (+https://discord.com)",
        "X-Signature-Ed25519": keys.sign(timestamp, body),
        "X-Signature-Timestamp": timestamp,
      },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    await response.body?.cancel(); // only the status matters; free the connection
    return { status: response.status };
  } catch (error) {
    if (error instanceof DOMException && error.name === "TimeoutError")
      return { error: `no answer within ${DELIVERY_TIMEOUT_MS} ms` };
    // fetch reports network failures as "fetch failed"; the cause says what actually happened.
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    return { error: `delivery failed: ${cause instanceof Error ? cause.message : String(cause)}` };
  }
}
