import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser, takeNotice } from "~/auth/session.server";
import { AccountNav } from "~/components/account-nav";
import { Notice } from "~/components/notice";
import { PostButton } from "~/components/post-button";
import { getConfig } from "~/config.server";
import { toPublicProfile } from "~/models/profile.server";
import { SITE_NAME } from "~/site";

export const meta: MetaFunction = () => [{ title: `Your account · ${SITE_NAME}` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const active = await requireUser(request);
  const { notice, headers } = await takeNotice(request, active);
  const viewer = toPublicProfile(active.user, getConfig().discord.cdnUrl);
  return data({ viewer, notice }, { headers });
}

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "long", timeZone: "UTC" });

export default function Dashboard() {
  const { viewer, notice } = useLoaderData<typeof loader>();
  return (
    <>
      <AccountNav />
      <Notice notice={notice} />
      <section className="card profile">
        <img src={viewer.avatarUrl} alt={`Avatar of ${viewer.displayName}`} width={96} height={96} className="avatar" />
        <div>
          <h1>{viewer.displayName}</h1>
          <p className="muted">@{viewer.tag}</p>
          <dl className="facts">
            <dt>Email</dt>
            <dd>
              {viewer.email ? (
                <>
                  {viewer.email}{" "}
                  {viewer.emailVerified ? (
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
              <code>{viewer.discordId}</code>
            </dd>
            <dt>Here since</dt>
            <dd>{dateFormat.format(new Date(viewer.createdAt))}</dd>
          </dl>
        </div>
      </section>
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
