/** A message the bot posted, as the emulator's server page shows it. */
export interface PostedMessage {
  readonly id: string;
  readonly channelId: string;
  readonly authorId: string;
  readonly content: string;
  /** Unix time in milliseconds. */
  readonly postedAt: number;
}

/** The newest messages kept per channel: enough to see what arrived, bounded however long it runs. */
export const MESSAGES_KEPT_PER_CHANNEL = 50;

export class MessageStore {
  private readonly byChannel = new Map<string, PostedMessage[]>();

  post(message: PostedMessage): PostedMessage {
    const messages = this.byChannel.get(message.channelId) ?? [];
    messages.push(message);
    if (messages.length > MESSAGES_KEPT_PER_CHANNEL) messages.shift();
    this.byChannel.set(message.channelId, messages);
    return message;
  }

  /** The channel's kept messages, oldest first. */
  in(channelId: string): readonly PostedMessage[] {
    return this.byChannel.get(channelId) ?? [];
  }
}
