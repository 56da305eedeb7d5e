import { performance } from "node:perf_hooks";
import { answersOn, controlOk, createAccount } from "../../emulator/testing/harness";
import { logInOverHttp } from "../../tests/support/app-instances";
import { firstCookie } from "../../tests/support/set-cookie";
import type { BenchContext, CaseOutcome } from "../context";
import { hammer } from "../http-load";
import { tableWorkPerRequest } from "../table-work";

/** Every route of Discord's the dashboard calls, with a person's token or the bot's. */
const DISCORD_ROUTES = ["guilds", "guild", "guild_channels", "users_me", "token"];

/**
 * The bot dashboard on an instance with the emulator's bot: a manager adds the bot to a
 * server of their own end to end over HTTP (the app's button, Discord's screen, the way
 * back), then loads that server's settings page as fast as they can within one manager
 * check's interval. Targets: no Discord call per page (the check, the bot's server list and
 * the server's details are all in memory between refreshes) and no table work beyond
 * reading the setting and its trail (two reads).
 */
export async function dashboard(context: BenchContext): Promise<CaseOutcome> {
  const { plan, emulator, env } = context;
  const instance = await context.startInstance(env.DATABASE_URL!, { DISCORD_BOT_TOKEN: emulator.botToken });
  const owner = await createAccount(emulator, "manager");
  const server = await controlOk(emulator, "POST", "/guilds", { name: "Bench Hall", owner_id: owner.id });
  // Discord sends people back to the deployment's public origin (the first instance's).
  const publicUrl = new URL(env.APP_URL!);
  const forwarded = { Origin: publicUrl.origin, "X-Forwarded-Host": publicUrl.host };
  const { cookie } = await logInOverHttp(instance.url, emulator, owner.id, forwarded);

  const started = performance.now();
  const toDiscord = await fetch(`${instance.url}/servers/${server.id}/add-bot`, {
    method: "POST",
    headers: { ...forwarded, Cookie: cookie },
    redirect: "manual",
  });
  const consent = new URLSearchParams(new URL(toDiscord.headers.get("Location")!).searchParams);
  for (const [name, value] of [
    ["account_id", owner.id],
    ["action", "authorize"],
    ["bot_guild_id", server.id],
    ["bot_permission", "1024"],
    ["bot_permission", "2048"],
  ])
    consent.append(name, value);
  const approved = await fetch(`${emulator.url}/oauth2/authorize`, {
    method: "POST",
    body: consent,
    redirect: "manual",
  });
  const back = new URL(approved.headers.get("Location")!);
  const landed = await fetch(`${instance.url}${back.pathname}${back.search}`, {
    headers: { Cookie: `${cookie}; ${firstCookie(toDiscord)}` },
    redirect: "manual",
  });
  const addMs = performance.now() - started;
  if (landed.headers.get("Location") !== `/servers/${server.id}`) {
    throw new Error(
      `adding the bot did not land on the server's settings (${landed.status} ${landed.headers.get("Location")})`,
    );
  }

  const url = `${instance.url}/servers/${server.id}`;
  const headers = { Cookie: cookie };
  const first = await fetch(url, { headers });
  if (first.status !== 200) throw new Error(`the settings page answered ${first.status}`);
  const calls = async () =>
    (await Promise.all(DISCORD_ROUTES.map((route) => answersOn(emulator, route)))).reduce((a, b) => a + b);
  const callsBefore = await calls();
  const load = await hammer({
    connections: plan.connections,
    seconds: plan.seconds,
    url,
    headers,
    pids: [instance.pid],
  });
  const callsDuring = (await calls()) - callsBefore;
  const pages = 2_000;
  const tableWork = plan.smoke
    ? null
    : await tableWorkPerRequest(
        context.db,
        () => hammer({ connections: plan.connections, amount: pages, url, headers, pids: [instance.pid] }),
        pages,
      );
  await instance.stop();
  return {
    rows: [{ case: "Bot dashboard", variant: "/servers/:id, a manager between checks", load }],
    findings: [
      {
        name: "Bot dashboard: adding the bot end to end (the app's button, Discord's screen, the way back)",
        value: `${addMs.toFixed(0)} ms`,
        target: "reported",
        passed: null,
      },
      {
        name: "Bot dashboard: Discord calls during those pages",
        value: `${callsDuring} over ${load.requests.toLocaleString("en")} pages`,
        target: "0",
        passed: callsDuring === 0,
      },
      {
        name: "Bot dashboard: table reads and writes per page (the setting and its trail)",
        value:
          tableWork === null
            ? "not measured in a smoke run"
            : `${tableWork.perRequest.toFixed(2)} (${tableWork.withLoad} over ${pages.toLocaleString("en")} pages, ${tableWork.idle} in as long idle)`,
        target: "≤ 2",
        passed: tableWork === null ? null : tableWork.perRequest <= 2.05,
      },
    ],
  };
}
