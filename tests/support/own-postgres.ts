import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { chown, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { freePort } from "./app-instances";

const run = promisify(execFile);

/**
 * A Postgres cluster of a test's own, on a free loopback port, for tests that stop the
 * server hard and start it again without disturbing anything else on the machine. It
 * needs Postgres's server programs (Debian's `postgresql` package: initdb and pg_ctl in
 * /usr/lib/postgresql/<version>/bin, or PG_BIN_DIR); as root they run as `postgres`.
 */
export interface OwnPostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  /** Stops the server at once, as a crash or a kill would (pg_ctl stop -m immediate). */
  kill(): Promise<void>;
  /** Starts it again; resolves once it accepts connections. */
  start(): Promise<void>;
  destroy(): Promise<void>;
}

/** Where initdb and pg_ctl are, or null when this machine has no Postgres server programs. */
export function postgresBinDir(): string | null {
  if (process.env.PG_BIN_DIR) return process.env.PG_BIN_DIR;
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((version) => existsSync(path.join(root, version, "bin", "initdb")))
    .sort((x, y) => Number(y) - Number(x));
  return versions[0] ? path.join(root, versions[0], "bin") : null;
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const bin = postgresBinDir();
  if (!bin)
    throw new Error("no Postgres server programs (initdb, pg_ctl): apt-get install postgresql, or set PG_BIN_DIR");
  const asRoot = process.getuid?.() === 0;
  // initdb refuses to run as root: there, the cluster belongs to the postgres user.
  const program = (name: string, args: string[]) =>
    asRoot ? run("runuser", ["-u", "postgres", "--", path.join(bin, name), ...args]) : run(path.join(bin, name), args);
  const dataDir = await mkdtemp(path.join(tmpdir(), "rdl-pg-"));
  if (asRoot) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    const { stdout: gid } = await run("id", ["-g", "postgres"]);
    await chown(dataDir, Number(stdout.trim()), Number(gid.trim()));
  }
  const port = await freePort();
  await program("initdb", ["-D", dataDir, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"]);
  const options = `-p ${port} -k ${dataDir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = async () => {
    await program("pg_ctl", ["start", "-w", "-D", dataDir, "-l", path.join(dataDir, "server.log"), "-o", options]);
  };
  const stop = (mode: "immediate" | "fast") => program("pg_ctl", ["stop", "-w", "-D", dataDir, "-m", mode]);
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    kill: async () => void (await stop("immediate")),
    start,
    async destroy() {
      await stop("fast").catch(() => {});
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
