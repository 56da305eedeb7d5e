import { redirectWithNotice } from "~/auth/notice.server";
import { loginAgainIfGrantLost } from "~/auth/session.server";
import { managerVerdict } from "./manager.server";

const SNOWFLAKE = /^\d{1,20}$/;

const SERVER_LIST_FIRST = {
  kind: "info",
  message: "Share your server list first: the dashboard reads from it which servers you manage.",
} as const;

/**
 * Lets through only someone who manages the server on Discord now (at most
 * DASHBOARD_RECHECK_SECONDS ago by Discord's word): anyone else gets a page saying so
 * (403), and while Discord cannot confirm it, a page asking to try again (503).
 */
export async function requireManager(request: Request, userId: string, guildId: string | undefined): Promise<string> {
  if (!guildId || !SNOWFLAKE.test(guildId)) throw new Response(null, { status: 404, statusText: "Not Found" });
  const verdict = await loginAgainIfGrantLost(request, () => managerVerdict(userId, guildId));
  // Which servers a person manages comes from their server list: the servers page asks for it.
  if (verdict.kind === "server_list_not_shared") throw await redirectWithNotice("/servers", SERVER_LIST_FIRST);
  if (verdict.kind === "does_not_manage") {
    throw new Response(
      "You do not manage this server on Discord (as its owner, or with Administrator or Manage Server), so its settings are not yours to change here. If that changed recently, ask an owner of the server.",
      { status: 403, statusText: "Not yours to manage" },
    );
  }
  if (verdict.kind === "unconfirmed") {
    const seconds = String(verdict.retryAfterSeconds);
    throw new Response(
      `Discord could not confirm that you manage this server just now. Try again in ${seconds} seconds.`,
      {
        status: 503,
        statusText: "Service Unavailable",
        headers: { "Retry-After": seconds },
      },
    );
  }
  return guildId;
}
