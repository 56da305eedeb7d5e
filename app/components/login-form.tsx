import { DiscordLogo } from "./discord-logo";
import { PostButton } from "./post-button";

/** "Log in with Discord", coming back to `returnTo` afterwards. */
export function LoginForm({ returnTo }: { returnTo?: string }) {
  return (
    <div className="login-form">
      <PostButton
        action="/auth/discord"
        className="button discord"
        pendingLabel="Opening Discord…"
        fields={{ returnTo }}
      >
        <DiscordLogo />
        Log in with Discord
      </PostButton>
    </div>
  );
}
