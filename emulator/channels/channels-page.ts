import { type SafeHtml, html } from "../http/html";
import { page } from "../oauth/page-layout";
import { type Channel, type Guild, takesMessages } from "../state/guilds";
import type { PostedMessage } from "../state/messages";

/** One text channel and what the bot posted there, newest last. */
export interface ChannelWithMessages {
  readonly channel: Channel;
  readonly messages: readonly PostedMessage[];
}

const time = (at: number) => new Date(at).toISOString().replace("T", " ").slice(0, 19);

function channelSection({ channel, messages }: ChannelWithMessages): SafeHtml {
  return html`<section>
<h2>#${channel.name}</h2>
${
  messages.length === 0
    ? html`<p class="muted">No message from the bot yet.</p>`
    : html`<ol class="messages">${messages.map(
        (message) =>
          html`<li><span class="handle">${time(message.postedAt)} UTC</span><p class="message">${message.content}</p></li>`,
      )}</ol>`
}
</section>`;
}

/**
 * A server as Discord's client shows it (discord.com/channels/{guild_id}), reduced to what a
 * bot dashboard's developer needs to see: its text channels and what the bot posted in each.
 * Every value is escaped: a message is shown as the text it is, whatever it contains.
 */
export function channelsPage(
  guild: Guild,
  bot: { present: boolean; name: string },
  channels: readonly ChannelWithMessages[],
): SafeHtml {
  return page(
    `${guild.name} · Discord emulator`,
    html`<h1>${guild.name}</h1>
<p class="muted">${bot.present ? `${bot.name} is in this server.` : `${bot.name} is not in this server.`}</p>
${channels.filter(({ channel }) => takesMessages(channel)).map(channelSection)}`,
  );
}
