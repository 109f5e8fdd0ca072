/**
 * One writer per data folder. The lock is SQLite's own exclusive file lock on
 * a small side database (`shelfwise.lock`): an fcntl lock held by the kernel
 * for this process, so it dies with the process (kill -9, power loss) and a
 * crash never leaves a stale lock behind. Who holds it is written to
 * `shelfwise.lock.json` for the messages only; liveness is never judged from
 * that file.
 *
 * Readers never take this lock: they read the WAL database as before.
 */
import { shownTime } from "../domain/time-text.js";
import type Database from "better-sqlite3";
import fs from "node:fs";
import { openSqlite } from "./sqlite.js";
import { InTheWayError, notAFileWords, StoreError } from "./store-error.js";
import path from "node:path";

export interface LockHolder {
  pid: number;
  command: string;
  since: string;
}

/** Another process holds the data folder's lock (and did not let go within the wait). */
export class DataLockBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder | null,
  ) {
    super(
      `another shelfwise command is writing to ${dataDir}` +
        (holder ? ` (pid ${holder.pid}, \`${holder.command}\`, since ${shownTime(holder.since)})` : "") +
        "; wait for it to finish, or stop it, and try again",
    );
  }
}

export interface DataLock {
  readonly dataDir: string;
  readonly holder: LockHolder;
  /** Idempotent. Nested handles of one process release the lock with the last one. */
  release(): void;
}

export interface AcquireOptions {
  /** What this process is doing, shown to a second writer (`process`, `apply`, `serve`...). */
  command: string;
  /** How long to wait for another holder, in ms (0: fail at once). */
  waitMs?: number;
  /** Called once when the lock is taken by someone else and we start to wait. */
  onWait?: (holder: LockHolder | null) => void;
  /** Poll interval while waiting. */
  pollMs?: number;
}

interface Held {
  db: Database.Database;
  holder: LockHolder;
  count: number;
}

const held = new Map<string, Held>();

/** Work each holder does last, while it still holds the lock (see beforeDataLockRelease). */
const releaseHooks = new Map<string, Set<() => void>>();

/**
 * Runs `hook` whenever this process lets go of `dataDir`'s lock, just before
 * (still holding it): the one moment every writer passes, to finish work it
 * deferred (the search index's queue). A hook that throws is skipped: the
 * writer's own work is done and committed. Returns the way to remove it.
 */
export function beforeDataLockRelease(dataDir: string, hook: () => void): () => void {
  const key = path.resolve(dataDir);
  const hooks = releaseHooks.get(key) ?? new Set();
  releaseHooks.set(key, hooks);
  hooks.add(hook);
  return () => {
    hooks.delete(hook);
    if (hooks.size === 0 && releaseHooks.get(key) === hooks) releaseHooks.delete(key);
  };
}

export function lockFiles(dataDir: string): { lock: string; info: string } {
  return { lock: path.join(dataDir, "shelfwise.lock"), info: path.join(dataDir, "shelfwise.lock.json") };
}

/** The current holder as last recorded (null when unknown or not held). */
export function readLockHolder(dataDir: string): LockHolder | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(lockFiles(dataDir).info, "utf8")) as Partial<LockHolder>;
    if (typeof parsed.pid === "number" && typeof parsed.command === "string" && typeof parsed.since === "string") {
      return { pid: parsed.pid, command: parsed.command, since: parsed.since };
    }
  } catch {
    // Missing or half-written: the message just names no holder.
  }
  return null;
}

/** The command name of a lock taken only to see whether another command holds it, let go at once (writer-now.ts). */
export const LOCK_PROBE = "status";

/** How often a writer tries again, 5 ms apart, while a probe holds the lock, before it counts as busy. */
const PROBE_TRIES = 40;

/** Takes the lock without waiting; null when another process holds it. */
export function tryAcquireDataLock(dataDir: string, command: string): DataLock | null {
  const key = path.resolve(dataDir);
  const mine = held.get(key);
  if (mine) {
    mine.count++;
    return handle(key, mine);
  }
  if (!fs.existsSync(key)) throw new StoreError(`the data folder ${key} is gone (removed or renamed while shelfwise ran?); nothing was written`);
  const files = lockFiles(key);
  // Never through a link or into a folder: SQLite would lock (and switch the journal of) whatever
  // the link points to, and a junk lock is emptied below. A data folder removed meanwhile is not made again.
  const stat = fs.lstatSync(files.lock, { throwIfNoEntry: false });
  if (stat && !stat.isFile()) throw new InTheWayError(files.lock, notAFileWords(stat));
  // SQLite opens a file it may not write read-only, and a read-only handle takes no
  // write lock: that would "succeed" without excluding anyone. Fail as the file system would.
  assertWritable(files.lock);
  let db: Database.Database;
  try {
    db = lockConnection(files.lock);
  } catch (error) {
    const code = (error as { code?: string }).code ?? "";
    if (code === "SQLITE_BUSY" || code === "SQLITE_LOCKED") return null;
    // The lock file holds no data, only its lock: anything written into it (a copy, a sync tool, garbage)
    // is cleared rather than reported as a damaged database. Nobody holds it: holding needs a valid file.
    if (!/^SQLITE_(?:NOTADB|CORRUPT)/.test(code)) throw error;
    emptyJunkLock(files.lock);
    try {
      db = lockConnection(files.lock);
    } catch (again) {
      const code = (again as { code?: string }).code;
      if (code === "SQLITE_BUSY" || code === "SQLITE_LOCKED") return null;
      throw again;
    }
  }
  const holder: LockHolder = { pid: process.pid, command, since: new Date().toISOString() };
  try {
    const tmp = `${files.info}.${process.pid}.tmp`;
    // Created afresh ("wx"): a link left or planted at that name is never written through.
    fs.rmSync(tmp, { force: true });
    fs.writeFileSync(tmp, JSON.stringify(holder) + "\n", { flag: "wx" });
    fs.renameSync(tmp, files.info);
  } catch {
    // The holder file is informational; a read-only or full disk must not stop a writer that holds the lock.
  }
  const entry: Held = { db, holder, count: 1 };
  held.set(key, entry);
  return handle(key, entry);
}

/** A connection to the lock file inside its EXCLUSIVE transaction; throws SQLite's error (SQLITE_BUSY: held elsewhere). */
function lockConnection(file: string): Database.Database {
  const db = openSqlite(file);
  try {
    db.pragma("busy_timeout = 0");
    // Rollback journal, not WAL: an EXCLUSIVE transaction then holds the
    // file's exclusive lock until it ends, which is exactly a mutex.
    db.pragma("journal_mode = DELETE");
    db.exec("BEGIN EXCLUSIVE");
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Empties a lock file holding junk, in place: the kernel's locks belong to the
 * file, so a holder that opened it meanwhile still excludes everyone. Only
 * this name of a plain file is emptied: a link swapped in since the check, or
 * a file with other names (a hard link to something of the user's), is in the way.
 */
function emptyJunkLock(file: string): void {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_NOFOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ELOOP") throw new InTheWayError(file, "a symbolic link");
    throw error;
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new InTheWayError(file, notAFileWords(stat));
    if (stat.nlink > 1) throw new InTheWayError(file, `a file with ${stat.nlink - 1} other name${stat.nlink > 2 ? "s" : ""} (a hard link) holding something else`);
    fs.ftruncateSync(fd, 0);
  } finally {
    fs.closeSync(fd);
  }
}

function assertWritable(file: string): void {
  try {
    fs.accessSync(file, fs.constants.W_OK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

/** Takes the lock, waiting up to `waitMs` for another holder to finish. */
export async function acquireDataLock(dataDir: string, options: AcquireOptions): Promise<DataLock> {
  const waitMs = options.waitMs ?? 0;
  const pollMs = options.pollMs ?? 100;
  // The monotonic clock: a wall clock set back or forward (NTP, a suspended laptop, a hand) neither
  // stretches the wait nor ends it early.
  const deadline = performance.now() + waitMs;
  let announced = false;
  let probeTries = PROBE_TRIES;
  for (;;) {
    const lock = tryAcquireDataLock(dataDir, options.command);
    if (lock) return lock;
    const holder = readLockHolder(dataDir);
    // `status` asking whether a command writes takes the lock for a moment (app/writer-now.ts): a writer starting
    // then said it waited for `status` "to finish writing", and with --wait 0 failed as if the folder were busy.
    if (holder?.command === LOCK_PROBE && probeTries-- > 0) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      continue;
    }
    if (performance.now() >= deadline) throw new DataLockBusyError(path.resolve(dataDir), holder);
    if (!announced) {
      announced = true;
      options.onWait?.(holder);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, Math.max(1, deadline - performance.now()))));
  }
}

/** Whether this process holds the lock of `dataDir`. */
export function holdsDataLock(dataDir: string): boolean {
  return held.has(path.resolve(dataDir));
}

function handle(key: string, entry: Held): DataLock {
  let released = false;
  return {
    dataDir: key,
    holder: entry.holder,
    release() {
      if (released) return;
      released = true;
      entry.count--;
      if (entry.count > 0) return;
      for (const hook of [...(releaseHooks.get(key) ?? [])]) {
        try {
          hook();
        } catch {
          // Deferred work only; the next holder does it.
        }
      }
      held.delete(key);
      try {
        fs.rmSync(lockFiles(key).info, { force: true });
      } catch {
        // Informational file only.
      }
      try {
        entry.db.exec("ROLLBACK");
      } finally {
        entry.db.close();
      }
    },
  };
}
