import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { registerApiRoutes } from "./api/api-routes";
import { registerBotRoutes } from "./api/bot-routes";
import { registerJoinRoutes } from "./api/join-routes";
import { registerRoleConnectionRoutes } from "./api/role-connection-routes";
import { registerLinkedRolesRoutes } from "./linked-roles/linked-roles-routes";
import { applicationBot } from "./state/bot";
import type { AppContext } from "./app-context";
import { registerCdnRoutes } from "./cdn/cdn-routes";
import { CONTROL_PREFIX, controlRefusal } from "./control/local-only";
import { registerControlRoutes } from "./control/control-routes";
import { statusError } from "./discord/errors";
import { HttpError } from "./http/http-error";
import { sendJson } from "./http/respond";
import { Router } from "./http/router";
import { registerChannelsRoutes } from "./channels/channels-routes";
import { registerInviteRoutes } from "./invite/invite-routes";
import { registerAuthorizeRoutes } from "./oauth/authorize-routes";
import { registerTokenRoutes } from "./oauth/token-routes";
import { type EmulatorOptions, resolveOptions } from "./options";
import { createSeededState } from "./state/emulator-state";
import { generateSigningKeys } from "./webhooks/signing-keys";

export type { EmulatorOptions } from "./options";

export interface RunningEmulator {
  /** Base URL without a trailing slash; serves the API, the OAuth2 pages and the CDN. */
  url: string;
  clientId: string;
  clientSecret: string;
  /** Hex Ed25519 public key that verifies the emulator's webhook signatures. */
  publicKeyHex: string;
  /** The application's bot token (`Authorization: Bot …`), the same at every start for the same client secret. */
  botToken: string;
  /**
   * Signs timestamp + body with the webhook key, as Discord does (the X-Signature-Ed25519
   * value): for testing a webhook handler with payloads Discord would not send.
   */
  signWebhook(timestamp: string, body: string): string;
  /** Stops listening and closes open (including keep-alive) connections. */
  close(): Promise<void>;
}

function buildRouter(context: AppContext): Router {
  const router = new Router();
  registerAuthorizeRoutes(router, context);
  registerTokenRoutes(router, context);
  registerApiRoutes(router, context);
  registerBotRoutes(router, context);
  registerJoinRoutes(router, context);
  registerRoleConnectionRoutes(router, context);
  registerLinkedRolesRoutes(router, context);
  registerInviteRoutes(router, context);
  registerChannelsRoutes(router, context);
  registerCdnRoutes(router, context);
  registerControlRoutes(router, context);
  return router;
}

async function dispatch(router: Router, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    // Only origin-form targets ("/path?query") are meaningful here.
    if (!req.url?.startsWith("/") || req.url.startsWith("//")) return sendJson(res, 400, statusError(400));
    const url = new URL(req.url, "http://emulator.invalid");
    const refusal = url.pathname.startsWith(CONTROL_PREFIX) ? controlRefusal(req) : null;
    if (refusal) return sendJson(res, 403, { message: refusal, code: 0 });
    const match = router.match(req.method ?? "GET", url.pathname);
    if (match.kind === "not-found") return sendJson(res, 404, statusError(404));
    if (match.kind === "method-not-allowed") return sendJson(res, 405, statusError(405));
    await match.handler({ req, res, url, params: match.params });
  } catch (error) {
    // Not `req.destroyed`: reading a body to its end destroys the request stream too,
    // and a validation error after that must still be answered.
    if (res.headersSent || req.socket.destroyed) {
      // Too late to answer, or the client hung up mid-request (reading its body fails
      // with "aborted"): nothing to report.
      res.destroy();
    } else if (error instanceof HttpError) {
      sendJson(res, error.status, error.body);
    } else {
      console.error("discord emulator: unhandled error", error);
      sendJson(res, 500, statusError(500));
    }
  }
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // close() alone waits for keep-alive sockets to time out.
    server.closeAllConnections();
  });
}

/** The bound address as a URL host; a wildcard bind is reached through loopback. */
function reachableHost({ address, family }: AddressInfo): string {
  if (family === "IPv6") return address === "::" ? "[::1]" : `[${address}]`;
  return address === "0.0.0.0" ? "127.0.0.1" : address;
}

export async function startEmulator(options?: EmulatorOptions): Promise<RunningEmulator> {
  const config = resolveOptions(options);
  const keys = generateSigningKeys();
  const bot = applicationBot(config.clientId, config.clientSecret);
  const context: AppContext = { config, keys, bot, state: createSeededState(config) };
  const router = buildRouter(context);
  const server = createServer((req, res) => void dispatch(router, req, res));
  const address = await listen(server, config.port, config.host);
  return {
    url: `http://${reachableHost(address)}:${address.port}`,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    publicKeyHex: keys.publicKeyHex,
    botToken: bot.token,
    signWebhook: keys.sign,
    close: () => close(server),
  };
}
