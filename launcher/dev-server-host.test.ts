import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { appCommand, DEV_SERVER_PRELOAD } from "./app-command";

const root = fileURLToPath(new URL("..", import.meta.url));

/**
 * Where a server listens that names only a port, as Remix's development server does
 * (`server.listen(options.port)`), in a node process with the launcher's preload.
 */
function boundAddress(env: Record<string, string>): string {
  const script = `
    const server = require("node:http").createServer();
    server.listen(0);
    server.on("listening", () => { console.log(server.address().address); server.close(); });`;
  const { HOST: _host, ...inherited } = process.env;
  const run = spawnSync(process.execPath, ["--require", DEV_SERVER_PRELOAD, "-e", script], {
    cwd: root,
    env: { ...inherited, ...env },
    encoding: "utf8",
  });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.trim();
}

describe("the development server's address", () => {
  it("is HOST, as the app's is: loopback when the launcher keeps the app to this machine", () => {
    expect(boundAddress({ HOST: "127.0.0.1" })).toBe("127.0.0.1");
    expect(boundAddress({ HOST: "::1" })).toBe("::1");
  });

  it("is every interface without HOST, as npm start's app is", () => {
    expect(["::", "0.0.0.0"]).toContain(boundAddress({}));
  });

  it("is what `npm run dev` gets: the preload comes before Remix's CLI", () => {
    const { command, args } = appCommand(root, "dev");
    expect(command).toBe(process.execPath);
    const preload = args.indexOf(DEV_SERVER_PRELOAD);
    expect(args[preload - 1]).toBe("--require");
    expect(args.findIndex((arg) => arg.endsWith("@remix-run/dev/dist/cli.js"))).toBeGreaterThan(preload);
    expect(args.slice(preload + 2, preload + 4)).toEqual(["dev", "--command"]);
  });
});
