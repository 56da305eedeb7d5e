import { redirectWithNotice } from "~/auth/notice.server";
import type { DB } from "~/db/db.server";
import type { DiscordBot } from "~/discord/bot-api.server";
import { DiscordError } from "~/discord/discord-error.server";
import { readGuildSettings, recordTestMessage, saveGuildSettings } from "~/models/guild-settings.server";
import { readForm } from "~/utils/read-form.server";
import type { ServerDetails } from "./server-details.server";

/** Discord's limit on a message, in characters; the database holds no more either. */
export const MAX_WELCOME_LENGTH = 2_000;
/**
 * The settings form may carry 2,000 characters of four UTF-8 bytes each, every byte
 * percent-encoded into three: about 24 KB, over the 16 KiB other forms get.
 */
const MAX_SETTINGS_FORM_BYTES = 32 * 1024;

/** What the person typed, given back when it is not saved, so nothing they wrote is lost. */
export interface TypedSettings {
  welcomeMessage: string;
  welcomeChannelId: string;
}

export type SettingsActionData =
  | { kind: "invalid"; typed: TypedSettings; problems: string[] }
  /** Someone saved first: theirs stands; what this person typed is given back to try again. */
  | { kind: "conflict"; typed: TypedSettings; by: string | null; at: string };

/** Line endings as browsers send them become one kind, and text one form (NFC), before counting. */
function normalizedMessage(value: string | null): string {
  return (value ?? "").replace(/\r\n?/g, "\n").normalize("NFC");
}

/** The save and the test message, from the settings page's forms. */
export async function settingsAction(
  request: Request,
  context: { db: DB; bot: DiscordBot; userId: string; guildId: string; details: ServerDetails | null },
): Promise<Response | SettingsActionData> {
  const form = await readForm(request, { maxBytes: MAX_SETTINGS_FORM_BYTES });
  const intent = form.get("intent");
  if (intent === "save") return save(form, context);
  if (intent === "test") return sendTest(context);
  throw new Response("This is not a request the settings page sends.", { status: 400, statusText: "Bad Request" });
}

async function save(
  form: URLSearchParams,
  { db, userId, guildId, details }: { db: DB; userId: string; guildId: string; details: ServerDetails | null },
): Promise<Response | SettingsActionData> {
  const typed = {
    welcomeMessage: normalizedMessage(form.get("welcomeMessage")),
    welcomeChannelId: form.get("welcomeChannelId") ?? "",
  };
  const version = Number(form.get("version"));
  const problems: string[] = [];
  const length = [...typed.welcomeMessage].length;
  if (length > MAX_WELCOME_LENGTH) {
    problems.push(`The message is ${length.toLocaleString("en")} characters long; Discord takes at most 2,000.`);
  }
  const channel = details?.channels.find((candidate) => candidate.id === typed.welcomeChannelId);
  if (typed.welcomeChannelId !== "" && !channel) problems.push("Choose one of the server's text channels.");
  if (!Number.isSafeInteger(version) || version < 0) problems.push("This form is out of date: load the page again.");
  if (problems.length > 0) return { kind: "invalid", typed, problems };

  const outcome = await saveGuildSettings(db, {
    guildId,
    userId,
    expectedVersion: version,
    welcomeChannelId: channel?.id ?? null,
    welcomeMessage: typed.welcomeMessage,
  });
  if (!outcome.saved) {
    const { updatedBy, updatedAt } = outcome.current;
    return { kind: "conflict", typed, by: updatedBy?.name ?? null, at: (updatedAt ?? new Date()).toISOString() };
  }
  return redirectWithNotice(`/servers/${guildId}`, { kind: "success", message: "Saved." });
}

async function sendTest({
  db,
  bot,
  userId,
  guildId,
  details,
}: {
  db: DB;
  bot: DiscordBot;
  userId: string;
  guildId: string;
  details: ServerDetails | null;
}): Promise<Response> {
  const here = `/servers/${guildId}`;
  const settings = await readGuildSettings(db, guildId);
  const channel = details?.channels.find((candidate) => candidate.id === settings.welcomeChannelId);
  if (!settings.welcomeMessage.trim() || !settings.welcomeChannelId) {
    return redirectWithNotice(here, { kind: "error", message: "Save a message and a channel first." });
  }
  if (!channel) {
    return redirectWithNotice(here, {
      kind: "error",
      message: "The channel saved is no longer one the bot can post in: choose another and save.",
    });
  }
  try {
    await bot.postMessage(channel.id, settings.welcomeMessage);
  } catch (error) {
    if (!(error instanceof DiscordError)) throw error;
    return redirectWithNotice(here, { kind: "error", message: testFailure(error, channel.name) });
  }
  await recordTestMessage(db, guildId, userId, channel.id);
  return redirectWithNotice(here, { kind: "success", message: `Sent to #${channel.name}.` });
}

function testFailure({ failure }: DiscordError, channelName: string): string {
  switch (failure.kind) {
    case "rate_limited":
      return `Discord is busy: try again in ${failure.retryAfterSeconds} seconds.`;
    case "rejected":
      return failure.status === 403
        ? `The bot may not post in #${channelName}: give it View Channels and Send Messages there, on Discord.`
        : `Discord refused the message (${failure.status}): check the channel and try again.`;
    default:
      return "Discord is not answering right now: the message was not sent. Try again in a moment.";
  }
}
