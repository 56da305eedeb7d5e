import type { ReactNode } from "react";
import { DiscordLogo } from "./discord-logo";
import { PostButton } from "./post-button";

interface AskForAccessProps {
  /** The feature whose scopes Discord is asked for (auth/more-access.server.ts). */
  feature: string;
  /** The page to come back to, signed in as before. */
  returnTo: string;
  title: string;
  /** The button's words: what the person shares. */
  action: string;
  /** Why the page needs it, and what Discord will ask. */
  children: ReactNode;
}

/**
 * In place of what a page cannot show without more of the person's Discord account: why,
 * and a button that asks Discord for it. The person stays logged in whatever they answer.
 */
export function AskForAccess({ feature, returnTo, title, action, children }: AskForAccessProps) {
  return (
    <section className="card ask-for-access" aria-labelledby="ask-for-access-title">
      <h2 id="ask-for-access-title">{title}</h2>
      {children}
      <PostButton
        action="/auth/discord"
        className="button discord"
        pendingLabel="Opening Discord…"
        fields={{ feature, returnTo }}
      >
        <DiscordLogo />
        {action}
      </PostButton>
      <p className="muted">You stay logged in whatever you answer, and can take it back at any time.</p>
    </section>
  );
}
