import { describe, expect, it } from "vitest";
import * as webhook from "~/routes/webhooks.discord";
import { useTestApp } from "../../tests/support/app-harness";
import { TestBrowser } from "../../tests/support/test-browser";

useTestApp({ env: { DISCORD_PUBLIC_KEY: "" } });

describe("POST /webhooks/discord without DISCORD_PUBLIC_KEY", () => {
  it("does not exist: 404 for every method", async () => {
    const browser = new TestBrowser();
    expect((await browser.post(webhook.action, "/webhooks/discord", {}, { Origin: "" })).status).toBe(404);
    expect((await browser.get(webhook.loader, "/webhooks/discord")).status).toBe(404);
  });
});
