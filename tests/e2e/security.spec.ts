import { expect, test } from "@playwright/test";
import { logInFromHere } from "./support";

test("pages carry a strict Content Security Policy and nothing on them breaks it", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });

  const first = await page.goto("/");
  const headers = first!.headers();
  const csp = headers["content-security-policy"]!;
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}' 'strict-dynamic'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("base-uri 'none'");
  expect(csp).not.toContain("unsafe-inline");
  expect(headers).toMatchObject({
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cache-control": "no-store",
  });
  // A new nonce for every response.
  const second = await page.goto("/");
  expect(second!.headers()["content-security-policy"]).not.toBe(csp);

  // Through Discord's consent page and back, then around the signed-in pages.
  await logInFromHere(page, "pixelpine");
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.getByRole("link", { name: "Servers", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Your servers" })).toBeVisible();
  // With JavaScript, the scripts ran under the policy: the app hydrated (and navigated
  // client-side); without it, nothing did.
  const javaScriptEnabled = Boolean(test.info().project.use.javaScriptEnabled);
  expect(await page.evaluate(() => "__remixRouter" in window)).toBe(javaScriptEnabled);
  expect(violations).toEqual([]);
});
