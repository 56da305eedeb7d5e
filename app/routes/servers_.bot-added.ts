import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirectWithNotice, type Notice } from "~/auth/notice.server";
import { requireUser } from "~/auth/session.server";
import { getConfig } from "~/config.server";
import { finishAddingBot, type BotAddOutcome } from "~/dashboard/add-bot.server";

export { ErrorPage as ErrorBoundary, errorHeaders as headers } from "~/components/error-page";

/** Discord sends the person back here from its screen for adding the bot. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireUser(request);
  const config = getConfig();
  if (!config.dashboard) throw new Response("The bot dashboard is off on this site.", { status: 404 });
  const { outcome, headers } = await finishAddingBot(request, config, config.dashboard, user.id);
  const to = outcome.kind === "added" || outcome.kind === "cancelled" ? `/servers/${outcome.guildId}` : "/servers";
  return redirectWithNotice(to, noticeFor(outcome), { headers });
}

function noticeFor(outcome: BotAddOutcome): Notice {
  switch (outcome.kind) {
    case "added": {
      // Added again where it already was, Discord only updated the bot's permissions.
      const { guildName, already } = outcome;
      if (outcome.missing.length === 0) {
        return {
          kind: "success",
          message: already
            ? `The bot was already in ${guildName}; it now has every permission it asks for.`
            : `The bot was added to ${guildName}, with every permission it asked for.`,
        };
      }
      const missing = outcome.missing
        .map((permission) =>
          permission.consequence ? `${permission.name} (${permission.consequence})` : permission.name,
        )
        .join("; ");
      const done = already
        ? `The bot was already in ${guildName}; it still lacks`
        : `The bot was added to ${guildName}, without`;
      return { kind: "info", message: `${done} ${missing}. Add it again to grant what is missing.` };
    }
    case "cancelled":
      return { kind: "info", message: "You cancelled adding the bot on Discord; nothing changed." };
    case "expired":
      return {
        kind: "error",
        message: "That link to add the bot has expired or was already used. Start again from your servers.",
      };
    case "other_server":
      return {
        kind: "error",
        message:
          "Discord answered for another server than the one you chose, so nothing was recorded. Start again from your servers.",
      };
    case "not_confirmed":
      return {
        kind: "error",
        message:
          "Discord did not confirm adding the bot (the link was already used, or too old). Start again from your servers.",
      };
  }
}
