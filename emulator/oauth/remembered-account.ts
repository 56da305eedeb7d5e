import type { IncomingMessage } from "node:http";

/**
 * Discord remembers who is logged in to the browser. The emulator remembers
 * the last account authorized from it, to preselect it and to honour
 * prompt=none for it.
 */
const COOKIE = "discord_emulator_account";

export function rememberedAccountId(req: IncomingMessage): string | undefined {
  for (const pair of (req.headers.cookie ?? "").split(";")) {
    const [name, value] = pair.trim().split("=");
    if (name === COOKIE && value && /^\d+$/.test(value)) return value;
  }
  return undefined;
}

export function rememberAccountCookie(accountId: string): string {
  return `${COOKIE}=${accountId}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000`;
}
