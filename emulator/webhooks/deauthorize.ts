import type { AppContext } from "../app-context";
import type { Account } from "../state/accounts";
import { type Delivery, deliverSigned } from "./deliver";
import { applicationDeauthorizedEvent, pingEvent } from "./webhook-events";

export interface DeauthorizeReport {
  readonly revoked: boolean;
  /** null when no webhook URL is configured or there was no grant to end. */
  readonly webhook: { readonly url: string; readonly ping?: Delivery; readonly event?: Delivery } | null;
}

const acknowledged = (delivery: Delivery) => "status" in delivery && delivery.status >= 200 && delivery.status < 300;

/**
 * What happens when a user removes the app from Authorized Apps: the grant
 * ends and, if a webhook URL is set, APPLICATION_DEAUTHORIZED is sent. As
 * when a URL is saved on Discord, a URL gets a PING first and only
 * receives events once it has acknowledged one.
 */
export async function deauthorize(context: AppContext, account: Account): Promise<DeauthorizeReport> {
  const { state, config, keys } = context;
  const hadGrant = state.grants.activeGrantOf(account.id) !== undefined;
  if (!hadGrant) return { revoked: false, webhook: null };
  state.grants.revoke(account.id, Date.now());
  state.counters.count("revocations");

  const url = config.webhookUrl;
  if (!url) return { revoked: true, webhook: null };
  let ping: Delivery | undefined;
  if (!state.verifiedWebhookUrls.has(url)) {
    ping = await deliverSigned(url, pingEvent(config.clientId), keys);
    if (!acknowledged(ping)) return { revoked: true, webhook: { url, ping } };
    state.verifiedWebhookUrls.add(url);
  }
  const event = await deliverSigned(url, applicationDeauthorizedEvent(config.clientId, account, new Date()), keys);
  return { revoked: true, webhook: { url, ...(ping ? { ping } : {}), event } };
}
