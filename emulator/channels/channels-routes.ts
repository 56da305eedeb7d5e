import type { AppContext } from "../app-context";
import type { Router } from "../http/router";
import { sendHtml } from "../http/respond";
import { errorPage } from "../oauth/error-page";
import { byAddress, guarded } from "../traffic/guarded-route";
import { channelsPage } from "./channels-page";

/** discord.com/channels/{guild_id}: what the bot posted in each of a server's text channels. */
export function registerChannelsRoutes(router: Router, context: AppContext): void {
  router.on(
    "GET",
    "/channels/:guildId",
    guarded(context, "channels_page", byAddress, ({ res, params }) => {
      const { guilds, messages } = context.state;
      const guild = guilds.get(params.guildId!);
      if (!guild) return sendHtml(res, 404, errorPage("Unknown server: no server has this id."));
      const channels = guilds.channelsOf(guild.id).map((channel) => ({ channel, messages: messages.in(channel.id) }));
      sendHtml(
        res,
        200,
        channelsPage(guild, { present: guilds.botIn(guild.id) !== null, name: context.bot.username }, channels),
      );
    }),
  );
}
