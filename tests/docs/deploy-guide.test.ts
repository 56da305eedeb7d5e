import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseConfig } from "~/config.server";
import { parseSettingsFile } from "../../launcher/settings-file.mjs";

// docs/deploy.md shows the operator's files; the repository keeps them in deploy/, where
// the deployment tests and an operator copy them from. The guide must show them as they
// are, and the settings file must give, read as systemd reads it, a configuration the app
// accepts once its blanks are filled.

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
const guide = read("docs/deploy.md");

/** The first fenced block after the guide's link to `file`. */
function blockShownFor(file: string): string {
  const link = guide.indexOf(`](../${file})`);
  expect(link, `docs/deploy.md links to ${file}`).toBeGreaterThan(0);
  const fence = guide.indexOf("```", link);
  const start = guide.indexOf("\n", fence) + 1;
  return guide.slice(start, guide.indexOf("```", start));
}

describe("docs/deploy.md and deploy/", () => {
  it.each(["deploy/discord-login.env", "deploy/discord-login@.service"])("shows %s exactly as it is", (file) => {
    expect(blockShownFor(file)).toBe(read(file));
  });

  it("shows only lines of deploy/Caddyfile when it quotes it", () => {
    const caddyfile = read("deploy/Caddyfile");
    const quoted = [...guide.matchAll(/```caddyfile\n([\s\S]*?)```/g)].flatMap((match) =>
      match[1]!.split("\n").filter((line) => line.trim() !== ""),
    );
    expect(quoted.length).toBeGreaterThan(0);
    for (const line of quoted) expect(caddyfile, line).toContain(line.trim());
  });

  it("gives a settings file the app accepts for production, read with systemd's rules, once filled in", () => {
    const settings = parseSettingsFile(read("deploy/discord-login.env"));
    const filled: Record<string, string> = {
      ...settings,
      DATABASE_URL: settings.DATABASE_URL!.replace("…", "a-password"),
      SESSION_SECRET: Buffer.alloc(32, 1).toString("base64"),
      TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 2).toString("base64"),
      DISCORD_CLIENT_ID: "1290000000000000001",
      DISCORD_CLIENT_SECRET: "the-application-secret",
      DISCORD_PUBLIC_KEY: "ab".repeat(32),
    };
    expect(Object.values(filled).some((value) => value.includes("…"))).toBe(false);
    const result = parseConfig(filled);
    if (!result.ok) throw new Error(result.problems.join("\n"));
    expect(result.config).toMatchObject({
      nodeEnv: "production",
      appUrl: "https://login.example.com",
      secureCookies: true,
    });
    expect(result.config.trustProxyHops).toBe(1);
  });
});
