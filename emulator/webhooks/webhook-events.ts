import { publicUserJson } from "../api/user-json";
import type { Account } from "../state/accounts";

/**
 * Webhook event bodies as Discord sends them.
 * https://discord.com/developers/docs/events/webhook-events#payload-structure
 */
const WEBHOOK_VERSION = 1;

export function pingEvent(applicationId: string) {
  return { version: WEBHOOK_VERSION, application_id: applicationId, type: 0 };
}

export function applicationDeauthorizedEvent(applicationId: string, account: Account, now: Date) {
  return {
    version: WEBHOOK_VERSION,
    application_id: applicationId,
    type: 1,
    event: {
      type: "APPLICATION_DEAUTHORIZED",
      // As Discord writes it: UTC without a zone, to the microsecond.
      timestamp: now.toISOString().replace("Z", "000"),
      data: { user: publicUserJson(account) },
    },
  };
}
