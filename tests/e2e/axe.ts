import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";

// axe-core at WCAG 2.1 AA, in light and dark, for the accessibility spec and any spec whose
// pages only exist under its own settings (members only, say).

const WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

async function violations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();
  return results.violations.flatMap((violation) =>
    violation.nodes.map(
      (node) => `${violation.id}: ${node.target.join(" ")} (${node.failureSummary?.split("\n")[1]?.trim() ?? ""})`,
    ),
  );
}

/**
 * Checks the page as it is now, in both colour schemes. axe runs as a script in the page,
 * which a page without JavaScript cannot run: there, the very HTML the browser received is
 * checked in a page that runs axe but none of the app's scripts (so nothing hydrates).
 */
export async function expectAccessible(
  page: Page,
  name: string,
  prepare?: (target: Page) => Promise<void>,
): Promise<void> {
  const javaScript = test.info().project.use.javaScriptEnabled !== false;
  const target = javaScript ? page : await withoutAppScripts(page);
  try {
    await prepare?.(target);
    for (const colorScheme of ["light", "dark"] as const) {
      await target.emulateMedia({ colorScheme });
      // Buttons ease into the new scheme's colours: judged mid-transition, a light
      // background under dark text reads as a contrast failure that nobody sees.
      // One inside a closed <details> is never run, so never finishes; nor is it seen.
      await target.evaluate(() =>
        Promise.all(
          document
            .getAnimations()
            .filter((animation) => (animation.effect as KeyframeEffect | null)?.target?.checkVisibility() ?? true)
            .map((animation) => animation.finished),
        ),
      );
      const found = await violations(target);
      console.log(`[axe] ${test.info().project.name} ${colorScheme} ${name}: ${found.length} violations`);
      expect.soft(found, `${name} in ${colorScheme}`).toEqual([]);
    }
  } finally {
    if (target !== page) await target.context().close();
  }
}

/** The page's current HTML, at its URL, in a context that runs no script of the app's. */
async function withoutAppScripts(page: Page): Promise<Page> {
  const [html, url] = [await page.content(), page.url()];
  const context = await page.context().browser()!.newContext({ javaScriptEnabled: true });
  await context.route("**/*", (route) => {
    const request = route.request();
    if (request.resourceType() === "script") return route.abort();
    if (request.url() === url && request.resourceType() === "document") {
      return route.fulfill({ body: html, contentType: "text/html; charset=utf-8" });
    }
    return route.continue();
  });
  const copy = await context.newPage();
  await copy.goto(url);
  return copy;
}
