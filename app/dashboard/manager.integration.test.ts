import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ORDINARY_MEMBER } from "../../emulator/discord/permissions";
import { seededGuildId, seededId } from "../../emulator/testing/harness";
import { useTestApp } from "../../tests/support/app-harness";
import { logIn } from "../../tests/support/login";
import { TestBrowser } from "../../tests/support/test-browser";
import { forgetManager, managerVerdict } from "./manager.server";

const app = useTestApp({ env: (emulator) => ({ DISCORD_BOT_TOKEN: emulator.botToken }) });
const RECHECK_MS = 60_000;
// nova owns Emulator HQ, administers Pine Forest, manages Night Owls and only belongs to Quiet Corner.
const HQ = seededGuildId("Emulator HQ");
const PINE_FOREST = seededGuildId("Pine Forest");
const NIGHT_OWLS = seededGuildId("Night Owls");
const QUIET_CORNER = seededGuildId("Quiet Corner");

let novaId = "";
beforeEach(async () => {
  await logIn(app(), new TestBrowser(), "nova");
  const row = await app()
    .db.selectFrom("users")
    .select("id")
    .where("discord_id", "=", seededId("nova"))
    .executeTakeFirstOrThrow();
  novaId = row.id;
  await app().db.deleteFrom("manager_checks").execute();
  forgetManager(novaId);
});
afterEach(() => {
  vi.useRealTimers();
});

const verdict = (guildId: string) => managerVerdict(novaId, guildId, { recheckMs: RECHECK_MS });
const serverListCalls = async () =>
  Object.values(
    ((await app().control("GET", "/counters")).body.api_calls.guilds ?? {}) as Record<string, number>,
  ).reduce((sum, count) => sum + count, 0);
const later = (ms: number) => vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + ms });

describe("who manages a server, by Discord's word at most an interval old", () => {
  it("owner, Administrator and Manage Server manage; a plain member does not; one call answers them all", async () => {
    const before = await serverListCalls();
    expect(await verdict(HQ)).toEqual({ kind: "manages" });
    expect(await verdict(PINE_FOREST)).toEqual({ kind: "manages" });
    expect(await verdict(NIGHT_OWLS)).toEqual({ kind: "manages" });
    expect(await verdict(QUIET_CORNER)).toEqual({ kind: "does_not_manage" });
    expect((await serverListCalls()) - before).toBe(1);
  });

  it("loses the server at the next check after Discord takes Manage Server away, and not before", async () => {
    expect(await verdict(NIGHT_OWLS)).toEqual({ kind: "manages" });
    await app().control("PUT", `/guilds/${NIGHT_OWLS}/members/${seededId("nova")}`, {
      permissions: ORDINARY_MEMBER.toString(),
    });
    expect(await verdict(NIGHT_OWLS)).toEqual({ kind: "manages" }); // within the interval: no call
    later(RECHECK_MS + 1_000);
    expect(await verdict(NIGHT_OWLS)).toEqual({ kind: "does_not_manage" });
  });

  it("asks Discord once for many requests at once, and another instance takes the answer from Postgres", async () => {
    const before = await serverListCalls();
    const verdicts = await Promise.all(Array.from({ length: 10 }, () => verdict(HQ)));
    expect(new Set(verdicts.map((answer) => answer.kind))).toEqual(new Set(["manages"]));
    forgetManager(novaId); // as an instance that never saw nova
    expect(await verdict(PINE_FOREST)).toEqual({ kind: "manages" });
    expect((await serverListCalls()) - before).toBe(1);
  });

  it("lets nobody in on an old answer while Discord fails, and checks again as soon as it answers", async () => {
    await verdict(HQ);
    later(RECHECK_MS + 1_000);
    await app().control("POST", "/faults", { route: "guilds", count: 1, status: 503 });
    expect(await verdict(HQ)).toEqual({ kind: "unconfirmed", retryAfterSeconds: 2 });
    // The failed check was given back: the next request asks at once, and Discord answers.
    expect(await verdict(HQ)).toEqual({ kind: "manages" });
  });
});
