import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireAccountAction } from "~/auth/account-action.server";
import { requireUser } from "~/auth/session.server";
import { AccountNav } from "~/components/account-nav";
import { PostButton } from "~/components/post-button";
import { getConfig } from "~/config.server";
import { dashboardBot } from "~/dashboard/bot.server";
import { botServers } from "~/dashboard/bot-presence.server";
import { requireManager } from "~/dashboard/require-manager.server";
import { serverDetails, type ServerDetails } from "~/dashboard/server-details.server";
import { MAX_WELCOME_LENGTH, settingsAction, type SettingsActionData } from "~/dashboard/settings-form.server";
import { getDb } from "~/db/db.server";
import { DiscordError } from "~/discord/discord-error.server";
import { listGuildSettingChanges, readGuildSettings } from "~/models/guild-settings.server";
import { SITE_NAME } from "~/site";
import { timeAgo } from "~/utils/time-ago";

export { ErrorPage as ErrorBoundary, errorHeaders as headers } from "~/components/error-page";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.server?.name ?? "Server settings"} · ${SITE_NAME}` },
];

/** The bot dashboard's settings: only with the dashboard on, and only for who manages the server now. */
async function dashboardContext(request: Request, userId: string, guildId: string | undefined) {
  const config = getConfig();
  const bot = dashboardBot(config);
  if (!bot) throw new Response("The bot dashboard is off on this site.", { status: 404, statusText: "Not Found" });
  const managed = await requireManager(request, userId, guildId);
  return { config, bot, guildId: managed };
}

/** The server by the bot's eyes, or why it cannot be shown. */
async function detailsOrProblem(...args: Parameters<typeof serverDetails>) {
  try {
    return { details: await serverDetails(...args), busyFor: null, unavailable: false };
  } catch (error) {
    if (!(error instanceof DiscordError)) throw error;
    const busyFor = error.failure.kind === "rate_limited" ? error.failure.retryAfterSeconds : null;
    return { details: null, busyFor, unavailable: busyFor === null };
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireUser(request);
  const { config, bot, guildId } = await dashboardContext(request, user.id, params.guildId);
  const db = getDb();
  const present = (await botServers(bot))?.has(guildId) ?? true;
  const [{ details, busyFor, unavailable }, settings, changes] = await Promise.all([
    present
      ? detailsOrProblem(bot, guildId, config.discord.cdnUrl)
      : { details: null, busyFor: null, unavailable: false },
    readGuildSettings(db, guildId),
    listGuildSettingChanges(db, guildId),
  ]);
  const channelName = (id: string | null) => details?.channels.find((channel) => channel.id === id)?.name ?? null;
  return {
    guildId,
    server: details,
    botPresent: details !== null || unavailable || busyFor !== null,
    unavailable,
    busyFor,
    settings: {
      welcomeMessage: settings.welcomeMessage,
      welcomeChannelId: settings.welcomeChannelId ?? "",
      version: settings.version,
      updatedBy: settings.updatedBy?.name ?? null,
      updatedAgo: settings.updatedAt ? timeAgo(settings.updatedAt).ago : null,
    },
    changes: changes.map((change) => ({
      field: change.field,
      message: change.field === "welcome_message" ? change.newValue : null,
      from: change.field === "welcome_channel_id" ? channelLabel(channelName(change.oldValue), change.oldValue) : null,
      to: change.field === "welcome_message" ? null : channelLabel(channelName(change.newValue), change.newValue),
      by: change.by ?? "a deleted account",
      at: change.changedAt.toISOString(),
      ago: timeAgo(change.changedAt).ago,
    })),
  };
}

function channelLabel(name: string | null, id: string | null): string {
  if (!id) return "none";
  return name ? `#${name}` : "a channel that is gone";
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireAccountAction(request);
  const { config, bot, guildId } = await dashboardContext(request, user.id, params.guildId);
  const { details } = await detailsOrProblem(bot, guildId, config.discord.cdnUrl);
  return settingsAction(request, { db: getDb(), bot, userId: user.id, guildId, details });
}

const count = new Intl.NumberFormat("en");

export default function ServerSettings() {
  const { guildId, server, botPresent, unavailable, busyFor, settings, changes } = useLoaderData<typeof loader>();
  const result = useActionData<SettingsActionData>();
  return (
    <>
      <AccountNav />
      <p>
        <Link to="/servers">← Your servers</Link>
      </p>
      {server ? <ServerHeading server={server} /> : <h1>Server settings</h1>}
      {unavailable ? (
        <p className="notice error" role="alert">
          Discord is not answering right now: the server&apos;s details and channels cannot be shown. Try again in a
          moment.
        </p>
      ) : null}
      {busyFor !== null ? (
        <p className="notice error" role="alert">
          Discord is busy: try again in {busyFor} seconds.
        </p>
      ) : null}
      {!botPresent ? (
        <section className="card">
          <h2>The bot is not in this server</h2>
          <p>Add it to choose a channel and a welcome message for it to post.</p>
          <PostButton action={`/servers/${guildId}/add-bot`} className="button" pendingLabel="Opening Discord…">
            Add the bot
          </PostButton>
        </section>
      ) : null}
      {server ? <SettingsForm server={server} settings={settings} result={result} /> : null}
      <section className="card">
        <h2>Changes</h2>
        {changes.length === 0 ? (
          <p className="muted">Nothing has been changed here yet.</p>
        ) : (
          <ol className="changes">
            {changes.map((change, index) => (
              <li key={index}>
                <time dateTime={change.at}>{change.ago}</time> · {change.by}{" "}
                {change.field === "welcome_message" ? (
                  <>
                    set the welcome message to <q className="message">{change.message || "(empty)"}</q>
                  </>
                ) : change.field === "welcome_channel_id" ? (
                  <>
                    moved the welcome message from {change.from} to {change.to}
                  </>
                ) : (
                  <>sent a test message to {change.to}</>
                )}
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}

function ServerHeading({ server }: { server: ServerDetails }) {
  return (
    <div className="server-heading">
      {server.iconUrl ? <img src={server.iconUrl} alt="" width={64} height={64} className="server-icon" /> : null}
      <div>
        <h1>{server.name}</h1>
        <p className="muted">
          {count.format(server.memberCount)} members, {count.format(server.onlineCount)} online
        </p>
      </div>
    </div>
  );
}

function SettingsForm({
  server,
  settings,
  result,
}: {
  server: ServerDetails;
  settings: {
    welcomeMessage: string;
    welcomeChannelId: string;
    version: number;
    updatedBy: string | null;
    updatedAgo: string | null;
  };
  result: SettingsActionData | undefined;
}) {
  const navigation = useNavigation();
  const saving = navigation.state !== "idle" && navigation.formData?.get("intent") === "save";
  const typed = result?.typed;
  return (
    <section className="card">
      <h2>Welcome message</h2>
      <p className="muted">
        What the bot posts to greet people, and where.
        {settings.updatedBy ? ` Last saved by ${settings.updatedBy} ${settings.updatedAgo}.` : ""}
      </p>
      {result?.kind === "invalid" ? (
        <ul className="notice error" role="alert">
          {result.problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      ) : null}
      {result?.kind === "conflict" ? (
        <p className="notice error" role="alert">
          {result.by ?? "Someone"} saved this setting while you were editing it, so yours was not saved. Below is what
          you typed; the saved message is in the changes. Save again to replace theirs with yours.
        </p>
      ) : null}
      {/* A conflict is answered on top of the newest version, so saving again replaces it knowingly. */}
      <Form method="post" key={`${settings.version}:${result?.kind ?? ""}`} className="settings-form">
        <input type="hidden" name="intent" value="save" />
        <input type="hidden" name="version" value={settings.version} />
        <label htmlFor="welcome-channel">Channel</label>
        <select
          id="welcome-channel"
          name="welcomeChannelId"
          defaultValue={typed?.welcomeChannelId ?? settings.welcomeChannelId}
        >
          <option value="">No channel (the message is not posted)</option>
          {server.channels.map((channel) => (
            <option key={channel.id} value={channel.id}>
              #{channel.name}
            </option>
          ))}
        </select>
        <label htmlFor="welcome-message">Message</label>
        <textarea
          id="welcome-message"
          name="welcomeMessage"
          rows={5}
          maxLength={MAX_WELCOME_LENGTH}
          defaultValue={typed?.welcomeMessage ?? settings.welcomeMessage}
          aria-describedby="welcome-message-hint"
        />
        <p id="welcome-message-hint" className="muted">
          Up to 2,000 characters. Mentions such as @everyone are posted as text and ping nobody.
        </p>
        <button type="submit" className="button" disabled={saving} aria-busy={saving}>
          {saving ? "Saving…" : "Save"}
        </button>
      </Form>
      <PostButton
        action={`/servers/${server.id}`}
        className="button secondary"
        pendingLabel="Sending…"
        fields={{ intent: "test" }}
      >
        Send a test message
      </PostButton>
    </section>
  );
}
