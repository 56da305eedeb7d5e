import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { EmulatorConfig } from "../options";
import { OAuthError, invalidRequest } from "./oauth-error";

/** The id and secret from an "Authorization: Basic" header, still in their transmitted form. */
function basicCredentials(header: string): { id: string; secret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/** RFC 6749 §2.3.1 form-encodes id and secret before Basic; many clients skip that, so accept both. */
function formDecoded(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return value;
  }
}

/** Compares digests so the time taken does not reveal how much of the secret matched. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Checks client credentials sent by HTTP Basic or as client_id/client_secret form fields. */
export function authenticateClient(req: IncomingMessage, form: URLSearchParams, config: EmulatorConfig): void {
  const header = req.headers.authorization;
  const rejected = (description: string) =>
    new OAuthError(401, "invalid_client", description, header ? { "WWW-Authenticate": 'Basic realm="discord"' } : {});

  let ids: string[];
  let secrets: string[];
  if (header) {
    const basic = basicCredentials(header);
    if (!basic) throw rejected("The Authorization header must use the Basic scheme.");
    // RFC 6749 §2.3: a client must not use more than one authentication method.
    if (form.has("client_secret"))
      throw invalidRequest("Send client credentials with HTTP Basic or in the body, not both.");
    ids = [basic.id, formDecoded(basic.id)];
    secrets = [basic.secret, formDecoded(basic.secret)];
    const bodyId = form.get("client_id");
    if (bodyId !== null && !ids.includes(bodyId)) throw rejected("client_id does not match the authenticated client.");
  } else {
    const id = form.get("client_id");
    if (id === null) throw rejected("Client authentication is required.");
    ids = [id];
    secrets = [form.get("client_secret") ?? ""];
  }
  if (!ids.includes(config.clientId) || !secrets.some((secret) => sameSecret(secret, config.clientSecret))) {
    throw rejected("Invalid client credentials.");
  }
}
