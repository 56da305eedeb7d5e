import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * PGlite is a single-process database: two launchers writing one data folder would
 * corrupt it. The folder's lock file names the launcher that holds it and whether it is
 * stopping, so a new launcher started right after Ctrl-C waits for the old one to finish
 * instead of refusing, and refuses only a holder that is alive and running.
 */
export interface DataDirLock {
  /** Tells launchers that start now that this one is on its way out. */
  markStopping(): void;
  release(): void;
}

interface Holder {
  pid: number;
  stopping: boolean;
}

export interface LockOptions {
  /** Longest wait for a stopping holder, before giving up with a message. */
  waitMs?: number;
  /** Said once, when there is a stopping holder to wait for. */
  onWait?(holder: Holder): void;
}

export async function lockDataDir(dataDir: string, options: LockOptions = {}): Promise<DataDirLock> {
  const lockFile = `${dataDir}.lock`;
  mkdirSync(path.dirname(lockFile), { recursive: true });
  const me = (stopping: boolean) => JSON.stringify({ pid: process.pid, stopping });
  // Replaced whole (written aside, then renamed), so a reader never sees half a file.
  const replace = (content: string) => {
    writeFileSync(`${lockFile}.${process.pid}`, content);
    renameSync(`${lockFile}.${process.pid}`, lockFile);
  };
  const deadline = Date.now() + (options.waitMs ?? 30_000);
  let announced = false;
  let unreadable = 0;
  for (;;) {
    try {
      writeFileSync(lockFile, me(false), { flag: "wx" });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = readHolder(lockFile);
    if (holder === null) continue; // released just now: try to take it again
    // Just created by another launcher and not written yet: look again in a moment.
    if (holder === "unreadable" && ++unreadable < 10) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      continue;
    }
    if (holder === "unreadable" || !isRunning(holder.pid)) {
      // The previous holder died without cleaning up; the folder is ours now.
      replace(me(false));
      break;
    }
    if (!holder.stopping) {
      throw new Error(
        `${dataDir} is in use by another launcher (pid ${holder.pid}), which is running. Stop it first (Ctrl-C in its terminal, or: kill ${holder.pid}), or set DATABASE_URL to use a Postgres server.`,
      );
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${dataDir} is still held by a launcher that has been stopping for too long (pid ${holder.pid}). End it with: kill -9 ${holder.pid}`,
      );
    }
    if (!announced) options.onWait?.(holder);
    announced = true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const ours = () => {
    const holder = readHolder(lockFile);
    return typeof holder === "object" && holder?.pid === process.pid;
  };
  return {
    markStopping: () => {
      if (ours()) replace(me(true));
    },
    release: () => {
      if (ours()) rmSync(lockFile, { force: true });
    },
  };
}

/** The lock's holder (null: no lock file); a bare pid is the format of earlier versions. */
function readHolder(lockFile: string): Holder | "unreadable" | null {
  let text: string;
  try {
    text = readFileSync(lockFile, "utf8").trim();
  } catch {
    return null;
  }
  if (/^\d+$/.test(text)) return { pid: Number(text), stopping: false };
  try {
    const parsed = JSON.parse(text) as Partial<Holder>;
    return typeof parsed.pid === "number" ? { pid: parsed.pid, stopping: parsed.stopping === true } : "unreadable";
  } catch {
    return "unreadable";
  }
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
