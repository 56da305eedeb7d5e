import { Form, useNavigation } from "@remix-run/react";

/** A moment, as the server worded it ("5 minutes ago"), with the exact time for a tooltip. */
interface Moment {
  at: string;
  ago: string;
  exact: string;
}

interface SessionRow {
  id: string;
  device: string;
  ip: string | null;
  signedIn: Moment;
  lastActive: Moment;
  current: boolean;
}

function When({ moment }: { moment: Moment }) {
  return (
    <time dateTime={moment.at} title={moment.exact}>
      {moment.ago}
    </time>
  );
}

export function SessionList({ sessions }: { sessions: SessionRow[] }) {
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formAction === "/sessions/end";
  const others = sessions.filter((session) => !session.current).length;
  return (
    <>
      <ul className="session-list">
        {sessions.map((session) => (
          <li key={session.id} className="card session">
            <div>
              <h2>
                {session.device}
                {session.current ? <span className="badge success">This browser</span> : null}
              </h2>
              <p className="muted">
                {session.ip ? `IP ${session.ip} · ` : ""}Signed in <When moment={session.signedIn} /> · Last active{" "}
                <When moment={session.lastActive} />
              </p>
            </div>
            <Form method="post" action="/sessions/end">
              <input type="hidden" name="intent" value="end" />
              <input type="hidden" name="sessionId" value={session.id} />
              <button
                type="submit"
                className="button secondary small"
                disabled={busy}
                aria-label={session.current ? "Log out of this browser" : `End session: ${session.device}`}
              >
                {session.current ? "Log out" : "End session"}
              </button>
            </Form>
          </li>
        ))}
      </ul>
      {others > 0 ? (
        <Form method="post" action="/sessions/end">
          <input type="hidden" name="intent" value="end-others" />
          <button type="submit" className="button danger" disabled={busy}>
            End all other sessions ({others})
          </button>
        </Form>
      ) : null}
    </>
  );
}
