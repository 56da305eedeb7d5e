import { z } from "zod";
import { getDb } from "~/db/db.server";
import { readAccessStanding } from "~/models/access-check.server";
import { deleteUserWithoutGrant, findUserWithoutGrant } from "~/models/user.server";
import { readForm } from "~/utils/read-form.server";
import { ACCESS_ENDED_LIFETIME_SECONDS, appCookie, clearCookie, readCookie } from "./cookies.server";
import { redirectWithNotice } from "./notice.server";
import { enforceRateLimit } from "./rate-limit.server";
import { requireSameSitePost } from "./same-site.server";

/**
 * What is kept of a person whose access ended (the access rules turned them out, or
 * refused them at a later login), and how they have it deleted once their session is gone
 * (docs/decisions/014-deletion-after-access-ends.md). Their browser is given the
 * access-ended cookie, signed, naming them and when access ended, for a quarter of an
 * hour: it proves who they are for this one purpose. Whoever comes back later logs in
 * with Discord again, and is offered it anew.
 */

const accessEnded = z.object({ userId: z.uuid(), endedAt: z.number().int().positive() });
type AccessEnded = z.infer<typeof accessEnded>;

/** What the refusal page says is kept, and offers to delete. */
export interface KeptProfile {
  displayName: string;
  username: string;
  email: string | null;
  firstSignedIn: string;
  lastSignedIn: string | null;
  /** Whether a membership check of theirs is recorded (not for someone who signed up before the rules). */
  membershipChecked: boolean;
}

/** Set-Cookie for the browser of a person whose access has just ended. */
export function rememberAccessEnded(userId: string, endedAt = new Date()): Promise<string> {
  return appCookie("access-ended").serialize({ userId, endedAt: endedAt.getTime() } satisfies AccessEnded);
}

/**
 * Set-Cookie for the browser of someone refused at login, when an account of theirs from
 * earlier visits is kept (nothing of this login is) and its access has ended; null
 * otherwise. Still signed in elsewhere, their access ends there at the next check, which
 * offers it then.
 */
export async function rememberRefusedAccount(discordId: string): Promise<string | null> {
  const kept = await findUserWithoutGrant(getDb(), { discordId });
  return kept ? rememberAccessEnded(kept.id) : null;
}

/** The profile this browser may have deleted, or null: no cookie, or nothing left to delete. */
export async function keptProfile(request: Request): Promise<KeptProfile | null> {
  const ended = await accessEndedIn(request);
  if (!ended) return null;
  const user = await findUserWithoutGrant(getDb(), { id: ended.userId });
  // Signed in again since: that is an account in use, deleted from its dashboard.
  if (!user || (user.last_login_at && user.last_login_at.getTime() >= ended.endedAt)) return null;
  return {
    displayName: user.global_name ?? user.username,
    username: user.username,
    email: user.email,
    firstSignedIn: user.created_at.toISOString(),
    lastSignedIn: user.last_login_at?.toISOString() ?? null,
    membershipChecked: (await readAccessStanding(getDb(), user.id)) !== null,
  };
}

/**
 * POST /access-refused/delete: deletes what is kept, on the explicit confirmation, for the
 * browser holding the access-ended cookie. Always a redirect with a notice saying what
 * happened (or the refusal: 403, 405, 429).
 */
export async function deleteKeptProfile(request: Request): Promise<Response> {
  requireSameSitePost(request);
  const ended = await accessEndedIn(request);
  const back = (message: string) => redirectWithNotice("/access-refused", { kind: "error", message });
  if (!ended) {
    return back(
      "This browser no longer knows whose profile to delete (it forgets after a quarter of an hour). Log in with Discord again: if you are still refused, this page will offer it again.",
    );
  }
  await enforceRateLimit(request, "account-action", ended.userId);
  const form = await readForm(request);
  if (form.get("confirm") !== "delete") return back("Tick the box to confirm that you want it deleted.");
  const deleted = await deleteUserWithoutGrant(getDb(), ended.userId, new Date(ended.endedAt));
  const headers = new Headers({ "Set-Cookie": await clearCookie("access-ended") });
  const message = deleted
    ? "Everything kept here about your account has been deleted."
    : "There was nothing left to delete here, or you have signed in again since: then delete your account from your dashboard.";
  return redirectWithNotice("/", { kind: deleted ? "success" : "info", message }, { headers });
}

/** The access-ended cookie's word, while it holds: the browser's Max-Age is not a bound a client must keep. */
async function accessEndedIn(request: Request): Promise<AccessEnded | null> {
  const parsed = accessEnded.safeParse(await readCookie(request, "access-ended"));
  if (!parsed.success) return null;
  return Date.now() - parsed.data.endedAt < ACCESS_ENDED_LIFETIME_SECONDS * 1000 ? parsed.data : null;
}
