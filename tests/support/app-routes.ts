import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readConfig } from "@remix-run/dev/dist/config.js";
import { seededGuildId } from "../../emulator/testing/seeded";

const root = fileURLToPath(new URL("../..", import.meta.url));

export interface AppRoute {
  /** The URL path the route answers, with any `:param` filled in with a sample value. */
  path: string;
  /** The route file, relative to app/. */
  file: string;
  /** The module exports an action, so a POST may legitimately change state. */
  hasAction: boolean;
}

/**
 * Every route of the app, resolved from the route files by Remix's own configuration
 * reader (the same rules the build uses), so a new route file is a new route here. With
 * `framework`, also the addresses Remix adds for them: each route's single-fetch data URL
 * (`/dashboard.data`, `/_root.data` for the index) and the route manifest (`/__manifest`).
 */
/**
 * The server a route's `:guildId` is filled with: Emulator HQ, which nova (the signed-in
 * person of the tests) owns and where the bot is, so requests reach past the dashboard's
 * guard. Any other parameter gets "fuzz".
 */
const SAMPLE_GUILD_ID = seededGuildId("Emulator HQ");

export async function appRoutes(options: { framework?: boolean } = {}): Promise<AppRoute[]> {
  const config = await readConfig(root);
  const routes = Object.values(config.routes);
  const fullPath = (id: string | undefined): string => {
    const route = id ? config.routes[id] : undefined;
    if (!route) return "";
    return [fullPath(route.parentId), route.path ?? ""].filter(Boolean).join("/");
  };
  const own = routes
    .filter((route) => route.id !== "root")
    .map((route) => {
      const source = readFileSync(path.join(config.appDirectory, route.file), "utf8");
      return {
        path: `/${fullPath(route.id)}`
          .replace(/:guildId\b/g, SAMPLE_GUILD_ID)
          .replace(/:[^/]+/g, "fuzz")
          .replace(/\/\*$/, "/fuzz/splat"),
        file: route.file,
        hasAction: /export\s+(async\s+)?function\s+action\b|export\s+const\s+action\b/.test(source),
      };
    });
  const framework = options.framework
    ? [
        ...own.map((route) => ({ ...route, path: route.path === "/" ? "/_root.data" : `${route.path}.data` })),
        { path: "/__manifest", file: "(Remix)", hasAction: false },
      ]
    : [];
  return [...own, ...framework].sort((a, b) => a.path.localeCompare(b.path));
}
