import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { accessRulesView } from "~/access/rules-view.server";
import { keptProfile } from "~/auth/kept-profile.server";
import { refusalReasonFrom, type RefusalPageReason } from "~/auth/refusal";
import { KeptProfileSection } from "~/components/kept-profile";
import { LoginForm } from "~/components/login-form";
import { PostButton } from "~/components/post-button";
import { joinServerName } from "~/community/join.server";
import { getConfig } from "~/config.server";
import { RequiredServers } from "~/components/required-servers";
import { SITE_NAME } from "~/site";
import { orList } from "~/utils/word-lists";

export const meta: MetaFunction = () => [{ title: `Members only · ${SITE_NAME}` }];

/**
 * Where a person the access rules turn away lands: refused at login, or signed out when a
 * re-check found they no longer pass. It says which server (and roles) it takes, links the
 * invite when there is one, and offers to try another Discord account.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const rules = await accessRulesView();
  const { join } = getConfig();
  if (!rules) throw redirect("/login"); // anyone may sign in: there is nothing to explain
  return {
    rules,
    reason: refusalReasonFrom(new URL(request.url).searchParams.get("reason")),
    // Known only to the browser whose access just ended (docs/decisions/014-deletion-after-access-ends.md).
    kept: await keptProfile(request),
    // With members-only rules, joining is offered here rather than made unasked.
    joinServer: join?.when === "offered" ? joinServerName(join) : null,
  };
}

export default function AccessRefused() {
  const { rules, reason, kept, joinServer } = useLoaderData<typeof loader>();
  const refusedAtLogin = reason === "not_member" || reason === "missing_role";
  const accessEnded = reason === "left" || reason === "role_removed" || reason === "unconfirmed";
  const serverWord = rules.servers.length === 1 ? "this Discord server" : "one of these Discord servers";
  const roles = orList(rules.roles);
  return (
    <section className="card narrow refusal">
      <h1>{headingFor(reason)}</h1>
      <p>{explanationFor(reason, rules.roles.length > 0, rules.graceMinutes)}</p>
      <p>
        {SITE_NAME} is open to members of {serverWord}
        {rules.roles.length > 0 ? (
          <>
            {" "}
            who hold the <strong>{roles}</strong> role{rules.roles.length > 1 ? " (any one of them)" : ""}
          </>
        ) : null}
        :
      </p>
      <RequiredServers servers={rules.servers} />
      {refusedAtLogin ? (
        <p className="muted">
          Nothing of this login was stored, and {SITE_NAME} asked Discord to cancel the access you just gave.
        </p>
      ) : null}
      {kept ? <KeptProfileSection kept={kept} siteName={SITE_NAME} /> : null}
      {accessEnded && !kept ? (
        <p className="muted">
          Your sessions and the Discord tokens {SITE_NAME} held are gone; your Discord profile as it was at your last
          sign-in is still kept. To have it deleted, log in with Discord again: this page will then offer it.
        </p>
      ) : null}
      {joinServer && (reason === "not_member" || reason === "left") ? (
        <section aria-labelledby="join-heading">
          <h2 id="join-heading">Join and continue</h2>
          <p>
            {SITE_NAME} can add you to <strong>{joinServer}</strong> on Discord, then let you in. Discord will ask you
            to allow {SITE_NAME} to add you to servers; it adds you to this one only.
          </p>
          <PostButton
            action="/auth/discord"
            className="button discord"
            pendingLabel="Opening Discord…"
            fields={{ join: "server" }}
          >
            Join {joinServer} and continue
          </PostButton>
        </section>
      ) : null}
      {rules.inviteUrl && reason !== "missing_role" && reason !== "role_removed" ? (
        <p>
          <a href={rules.inviteUrl} className="button secondary" rel="noopener noreferrer">
            Join the server on Discord
          </a>
        </p>
      ) : null}
      <h2>Try another account</h2>
      <p>
        If you have another Discord account that qualifies, switch to it on Discord (or log out of Discord in this
        browser), then log in again.
      </p>
      <LoginForm />
    </section>
  );
}

function headingFor(reason: RefusalPageReason | null): string {
  switch (reason) {
    case "left":
    case "role_removed":
    case "unconfirmed":
      return "You have been signed out";
    default:
      return "Members only";
  }
}

function explanationFor(reason: RefusalPageReason | null, rolesRequired: boolean, graceMinutes: number): string {
  switch (reason) {
    case "not_member":
      return "The Discord account you logged in with is not a member of the server this site requires.";
    case "missing_role":
      return "The Discord account you logged in with is a member, but does not hold a role this site requires.";
    case "left":
      return "Your Discord account is no longer a member of the server this site requires, so every session of yours here has ended.";
    case "role_removed":
      return "Your Discord account no longer holds a role this site requires, so every session of yours here has ended.";
    case "unconfirmed":
      return `Discord could not confirm your membership${graceMinutes > 0 ? ` for more than ${graceMinutes} minutes` : ""}, so every session of yours here has ended. Log in again once Discord is back.`;
    default:
      return rolesRequired
        ? "Signing in takes a role in a Discord server."
        : "Signing in takes a Discord server membership.";
  }
}
