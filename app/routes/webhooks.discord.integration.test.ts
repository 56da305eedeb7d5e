import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import * as dashboard from "~/routes/dashboard";
import * as webhook from "~/routes/webhooks.discord";
import { login as emulatorLogin, seededId } from "../../emulator/testing/harness";
import { useTestApp } from "../../tests/support/app-harness";
import { logIn } from "../../tests/support/login";
import { serveRoute, type RecordedRequest } from "../../tests/support/route-server";
import { TestBrowser } from "../../tests/support/test-browser";
import { storedFor } from "../../tests/support/row-counts";

// The webhook route served over HTTP, so the emulator delivers real signed events to it.
const endpoint = await serveRoute(webhook.action, "/webhooks/discord");
afterAll(() => endpoint.close());
const app = useTestApp({ emulator: { webhookUrl: endpoint.url } });

afterEach(() => {
  vi.useRealTimers();
});

const rowsOf = (username: string) => storedFor(app().db, seededId(username));

function send(recorded: RecordedRequest, changes: { body?: Buffer; headers?: Record<string, string> } = {}) {
  const { host: _host, "content-length": _length, ...headers } = recorded.headers;
  const body = new Uint8Array(changes.body ?? recorded.body);
  return fetch(endpoint.url, { method: "POST", headers: { ...headers, ...changes.headers }, body });
}

/** Posts a payload of the test's own, signed with the emulator's key as Discord would sign it. */
function sendSigned(body: string, timestamp = String(Math.floor(Date.now() / 1000))) {
  return fetch(endpoint.url, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-Signature-Ed25519": app().emulator.signWebhook(timestamp, body),
      "X-Signature-Timestamp": timestamp,
    },
    body,
  });
}

/**
 * Deauthorizes the account in the emulator and returns the signed event it delivered.
 * Discord only sends the event for an account that had authorized the app, so the
 * account authorizes first (at the emulator; the app may never have seen it).
 */
async function deauthorize(username: string) {
  await emulatorLogin(app().emulator, seededId(username));
  const before = endpoint.received.length;
  const { body } = await app().control("POST", `/accounts/${seededId(username)}/deauthorize`);
  const event = endpoint.received.slice(before).find((request) => request.body.includes("APPLICATION_DEAUTHORIZED"));
  return { report: body, event: event! };
}

describe("POST /webhooks/discord", () => {
  it("answers Discord's PING, then ends the sessions and tokens of a user who removed the app", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "nova");
    expect(await rowsOf("nova")).toEqual({ user: true, tokens: 1, sessions: 1 });
    const { report } = await deauthorize("nova");
    expect(report.webhook).toMatchObject({ ping: { status: 204 }, event: { status: 204 } });
    expect(await rowsOf("nova")).toEqual({ user: true, tokens: 0, sessions: 0 });
    expect((await browser.get(dashboard.loader, "/dashboard")).location).toBe("/login?returnTo=%2Fdashboard");
  });

  it("refuses a tampered body or a missing signature with 401, changing nothing", async () => {
    const { event } = await deauthorize("guildhopper"); // unknown to the app: a genuine event that changes nothing
    const victim = new TestBrowser();
    await logIn(app(), victim, "pixelpine");
    const tampered = Buffer.from(event.body.toString().replace(seededId("guildhopper"), seededId("pixelpine")));
    const forged = await send(event, { body: tampered });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ error: "invalid_signature" });
    const unsigned = await send(event, { body: tampered, headers: { "x-signature-ed25519": "" } });
    expect(unsigned.status).toBe(401);
    expect(await rowsOf("pixelpine")).toEqual({ user: true, tokens: 1, sessions: 1 });
  });

  it("answers a signed body that is not a valid event with 400, changing nothing", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "quietfern");
    const timestamp = String(Math.floor(Date.now() / 1000));
    const deauthorizedWithoutUser = JSON.stringify({
      version: 1,
      application_id: app().emulator.clientId,
      type: 1,
      event: { type: "APPLICATION_DEAUTHORIZED", timestamp: new Date().toISOString(), data: {} },
    });
    for (const body of ["not json", "[]", deauthorizedWithoutUser]) {
      const response = await sendSigned(body, timestamp);
      expect(response.status, body).toBe(400);
      expect(await response.json()).toMatchObject({ error: "invalid_body" });
    }
    expect(await rowsOf("quietfern")).toEqual({ user: true, tokens: 1, sessions: 1 });
  });

  it("refuses a replayed event once its timestamp is stale", async () => {
    const { event } = await deauthorize("legacyfox");
    // Within the window a replay is harmless: the same deletion again.
    expect((await send(event)).status).toBe(204);
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 6 * 60_000 });
    const replay = await send(event);
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ error: "stale_timestamp" });
  });

  it("does not let a late delivery of an old event end a newer login", async () => {
    const { event } = await deauthorize("ursa.minor");
    // The person comes back and authorizes again after the event.
    const browser = new TestBrowser();
    await logIn(app(), browser, "ursa.minor");
    expect((await send(event)).status).toBe(204);
    expect(await rowsOf("ursa.minor")).toEqual({ user: true, tokens: 1, sessions: 1 });
    expect((await browser.get(dashboard.loader, "/dashboard")).status).toBe(200);
  });

  it("dates the end by the event, not by its delivery: a retry signed after a newer login leaves that login", async () => {
    const { event } = await deauthorize("nova");
    const browser = new TestBrowser();
    await logIn(app(), browser, "nova");
    // Discord signs every delivery anew: the old event again, signed after the new login.
    const retriedAt = String(Math.floor(Date.now() / 1000) + 2);
    expect((await sendSigned(event.body.toString("utf8"), retriedAt)).status).toBe(204);
    expect(await rowsOf("nova")).toEqual({ user: true, tokens: 1, sessions: 1 });
    expect((await browser.get(dashboard.loader, "/dashboard")).status).toBe(200);
  });

  it("ends a grant whose tokens were rewritten (refreshed, resealed) after the event", async () => {
    const browser = new TestBrowser();
    await logIn(app(), browser, "pixelpine");
    // Discord's event and signature, at the next whole second: after the grant, as dated
    // (events are dated to the second).
    const timestamp = String(Math.floor(Date.now() / 1000) + 1);
    // A refresh, or npm run tokens:reseal, rewrites the row a second after Discord signed the event.
    const rewrittenAt = new Date((Number(timestamp) + 1) * 1000);
    const user = await app()
      .db.selectFrom("users")
      .select("id")
      .where("discord_id", "=", seededId("pixelpine"))
      .executeTakeFirstOrThrow();
    await app()
      .db.updateTable("discord_tokens")
      .set({ updated_at: rewrittenAt })
      .where("user_id", "=", user.id)
      .execute();
    const body = JSON.stringify({
      version: 1,
      application_id: app().emulator.clientId,
      type: 1,
      event: {
        type: "APPLICATION_DEAUTHORIZED",
        timestamp: new Date(Number(timestamp) * 1000).toISOString(),
        data: { user: { id: seededId("pixelpine") } },
      },
    });
    const response = await sendSigned(body, timestamp);
    expect(response.status).toBe(204);
    expect(await rowsOf("pixelpine")).toEqual({ user: true, tokens: 0, sessions: 0 });
  });

  it("answers other methods with 405, and bodies over 64 KiB with 413", async () => {
    expect((await fetch(endpoint.url, { method: "PUT", body: "{}" })).status).toBe(405);
    expect(webhook.loader().status).toBe(405);
    const huge = await fetch(endpoint.url, { method: "POST", body: "x".repeat(70 * 1024) });
    expect(huge.status).toBe(413);
  });
});
