/** Shown on every page while Discord is emulated, so nobody mistakes it for the real thing. */
export function EmulatorBanner({ url }: { url: string }) {
  return (
    <div className="emulator-banner" role="status">
      <strong>Discord emulator in use</strong> at <a href={url}>{url}</a>: logins and accounts are simulated, and only
      this machine can reach the app. Set <code>DISCORD_CLIENT_ID</code> and <code>DISCORD_CLIENT_SECRET</code> to use
      real Discord.
    </div>
  );
}
