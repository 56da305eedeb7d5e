/** Shown on every page while Discord is emulated, so nobody mistakes it for the real thing. */
export function EmulatorBanner({ url, accessSummary }: { url: string; accessSummary: string | null }) {
  return (
    <div className="emulator-banner" role="status">
      <strong>Discord emulator in use</strong> at <a href={url}>{url}</a>: logins and accounts are simulated, and only
      this machine can reach the app. Set <code>DISCORD_CLIENT_ID</code> and <code>DISCORD_CLIENT_SECRET</code> to use
      real Discord.{" "}
      {accessSummary ? (
        <>
          Sign-in is for <strong>{accessSummary}</strong> (<code>ACCESS_GUILD_IDS</code>).
        </>
      ) : (
        <>
          Any account may sign in; set <code>ACCESS_GUILD_IDS</code> to admit only members of your servers.
        </>
      )}
    </div>
  );
}
