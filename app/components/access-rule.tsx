import type { PassedRuleView } from "~/access/rules-view.server";
import { andList } from "~/utils/word-lists";
import { RequiredServers } from "./required-servers";

/** On the dashboard: the access rule the person passes, and how recently Discord said so. */
export function AccessRule({ rule }: { rule: PassedRuleView }) {
  return (
    <section className="card" aria-labelledby="membership-heading">
      <h2 id="membership-heading">Your membership</h2>
      {rule.server ? (
        <>
          <p>
            This site is for members only. You are in
            {rule.roles.length > 0 ? (
              <>
                {" "}
                as <strong>{andList(rule.roles)}</strong>
              </>
            ) : null}
            :
          </p>
          <RequiredServers servers={[rule.server]} />
        </>
      ) : (
        <p>This site is for members only. Discord has not confirmed your membership yet.</p>
      )}
      {rule.unconfirmed ? (
        <p className="notice info" role="status">
          Discord has not been able to confirm your membership since {rule.unconfirmed.sinceAgo}. You stay signed in for
          up to {rule.unconfirmed.minutesLeft} more {rule.unconfirmed.minutesLeft === 1 ? "minute" : "minutes"} while
          this lasts.
        </p>
      ) : (
        <p className="muted">
          {rule.confirmedAgo ? `Confirmed by Discord ${rule.confirmedAgo}; ` : ""}checked again as you use the site.
        </p>
      )}
    </section>
  );
}
