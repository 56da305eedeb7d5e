import type { AccessRules, AccessTarget } from "~/config.server";
import { guildIconUrl } from "~/discord/cdn";
import type { DiscordSettings } from "~/discord/discord-access.server";
import { resolveInvite } from "~/discord/members.server";
import { log } from "~/utils/logger.server";

/** A required server as pages show it: its name and icon when known, else its id. */
export interface RequiredServer {
  id: string;
  name: string | null;
  iconUrl: string | null;
}

interface KnownServer {
  name: string;
  icon: string | null;
}

/**
 * What this instance knows of the required servers. Discord tells a person's token nothing
 * about a server they are not in, so names and icons come from members' server lists
 * (seen at their checks) and from the invite (ACCESS_INVITE_URL), which Discord resolves
 * without a token.
 */
const known = new Map<string, KnownServer>();
/** An invite that could not be read is asked about again after this long. */
const INVITE_RETRY_MS = 5 * 60_000;

interface InviteLookup {
  at: number;
  settled: boolean;
  failed: boolean;
  done: Promise<void>;
}
let inviteLookup: InviteLookup | null = null;
let retriedLookups = false;

/** Records a required server's name and icon, as Discord showed them to one of its members. */
export function rememberServer(guild: { id: string; name: string; icon: string | null }): void {
  known.set(guild.id, { name: guild.name, icon: guild.icon });
}

/** A required server's name as Discord last showed it here, if it has. */
export function knownServerName(id: string): string | undefined {
  return known.get(id)?.name;
}

/** The required servers in the order the rules list them; the invite is looked up once. */
export async function describeRequiredServers(
  rules: AccessRules,
  discord: DiscordSettings,
  cdnUrl: string,
): Promise<RequiredServer[]> {
  if (rules.inviteUrl && rules.guilds.some((guild) => !known.has(guild.id))) {
    const lookup = lookUpInvite(rules, rules.inviteUrl, discord);
    // Only the instance's first lookup is waited for (the start begins it); retries while
    // Discord fails go on in the background, and pages show the ids meanwhile.
    if (!retriedLookups) await lookup;
  }
  return rules.guilds.map((guild) => describe(guild, cdnUrl));
}

function describe(guild: AccessTarget, cdnUrl: string): RequiredServer {
  const seen = known.get(guild.id);
  return {
    id: guild.id,
    // The builder's own name for it comes first: it is what their people know it by.
    name: guild.label ?? seen?.name ?? null,
    iconUrl: seen ? guildIconUrl(cdnUrl, guild.id, seen.icon) : null,
  };
}

/** One lookup per instance (and one more every few minutes while Discord fails to answer). */
function lookUpInvite(rules: AccessRules, inviteUrl: string, discord: DiscordSettings): Promise<void> {
  const code = inviteCode(inviteUrl);
  if (!code) return Promise.resolve();
  const retry = inviteLookup?.settled && inviteLookup.failed && Date.now() - inviteLookup.at > INVITE_RETRY_MS;
  if (!inviteLookup || retry) {
    retriedLookups = inviteLookup !== null;
    const lookup: InviteLookup = { at: Date.now(), settled: false, failed: false, done: Promise.resolve() };
    lookup.done = resolveInvite(discord, code)
      .then(
        (server) => {
          // An invite to some other server tells nothing about the required ones.
          if (server && rules.guilds.some((guild) => guild.id === server.id)) rememberServer(server);
        },
        (error: unknown) => {
          lookup.failed = true;
          log.warn("invite lookup failed", { cause: (error as Error).message });
        },
      )
      .finally(() => {
        lookup.settled = true;
      });
    inviteLookup = lookup;
  }
  return inviteLookup.done;
}

/** The code of an invite link: discord.gg/<code>, discord.com/invite/<code>, or any …/invite/<code>. */
export function inviteCode(inviteUrl: string): string | null {
  const url = new URL(inviteUrl);
  const path = url.pathname.split("/").filter(Boolean);
  const code = url.hostname === "discord.gg" ? path[0] : path.at(-2) === "invite" ? path.at(-1) : undefined;
  return code && /^[A-Za-z0-9-]{1,64}$/.test(code) ? code : null;
}
