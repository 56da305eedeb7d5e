import { readFileSync, rmSync, writeFileSync } from "node:fs";

/**
 * Claims a data folder for this process. PGlite is a single-process database: two
 * launchers writing the same folder would corrupt it, so the second one must refuse.
 * Returns the release function.
 */
export function lockDataDir(dataDir: string): () => void {
  const lockFile = `${dataDir}.lock`;
  try {
    writeFileSync(lockFile, String(process.pid), { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const holder = Number(readFileSync(lockFile, "utf8"));
    if (isRunning(holder)) {
      throw new Error(
        `${dataDir} is in use by another launcher (pid ${holder}). Stop it first, or set DATABASE_URL to use a Postgres server.`,
      );
    }
    // The previous holder died without cleaning up; the folder is ours now.
    writeFileSync(lockFile, String(process.pid));
  }
  return () => rmSync(lockFile, { force: true });
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
