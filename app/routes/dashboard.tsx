import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { rememberedStanding } from "~/access/recheck.server";
import { passedRuleView } from "~/access/rules-view.server";
import { requireUser } from "~/auth/session.server";
import { AccessRule } from "~/components/access-rule";
import { AccountNav } from "~/components/account-nav";
import { PostButton } from "~/components/post-button";
import { getConfig } from "~/config.server";
import { toPublicProfile } from "~/presenters/profile";
import { SITE_NAME } from "~/site";

export const meta: MetaFunction = () => [{ title: `Your account · ${SITE_NAME}` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const active = await requireUser(request);
  // requireUser has just made sure the person passes the access rules, when there are any.
  const standing = rememberedStanding(active.user.id);
  return {
    profile: toPublicProfile(active.user, getConfig().discord.cdnUrl),
    access: standing ? await passedRuleView(standing) : null,
  };
}

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "long", timeZone: "UTC" });

export default function Dashboard() {
  const { profile, access } = useLoaderData<typeof loader>();
  return (
    <>
      <AccountNav />
      <section className="card profile">
        <img
          src={profile.avatarUrl}
          alt={`Avatar of ${profile.displayName}`}
          width={96}
          height={96}
          className="avatar"
        />
        <div>
          <h1>{profile.displayName}</h1>
          <p className="muted">@{profile.tag}</p>
          <dl className="facts">
            <dt>Email</dt>
            <dd>
              {profile.email ? (
                <>
                  {profile.email}{" "}
                  {profile.emailVerified ? (
                    <span className="badge success">Verified</span>
                  ) : (
                    <span className="badge warning" title="Discord has not verified this address">
                      Not verified
                    </span>
                  )}
                </>
              ) : (
                <span className="muted">Not shared</span>
              )}
            </dd>
            <dt>Discord id</dt>
            <dd>
              <code>{profile.discordId}</code>
            </dd>
            <dt>Here since</dt>
            <dd>{dateFormat.format(new Date(profile.createdAt))}</dd>
          </dl>
        </div>
      </section>
      {access ? <AccessRule rule={access} /> : null}
      <section className="card danger-zone" aria-labelledby="access-heading">
        <h2 id="access-heading">Your data and access</h2>
        <p>
          Revoking tells Discord to cancel this app's access and logs you out everywhere; logging in again asks you
          afresh. Deleting your account also removes your profile from this app.
        </p>
        <div className="actions">
          <PostButton action="/revoke" className="button danger" pendingLabel="Revoking…">
            Revoke Discord access
          </PostButton>
          <Link to="/account/delete" className="button secondary">
            Delete my account…
          </Link>
        </div>
      </section>
    </>
  );
}
