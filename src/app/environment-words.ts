/**
 * The one-line words for a fault of the machine (disk full, read-only
 * storage, a lock held too long, a newer database, no permission, a folder in
 * the way): what happened, what was kept, what to do. Shared by the CLI
 * (stderr, exit 1) and the web server (a 503), each in its own words for
 * what to do: a page has no command to run again, and its data folder was
 * chosen when `shelfwise serve` started.
 */
import fs from "node:fs";
import path from "node:path";
import { terminalSafe } from "../domain/terminal-safe.js";
import { snapshotCause } from "../store/database.js";
import { classifyFault, faultPath, InTheWayError, type EnvironmentFault } from "../store/store-error.js";

const KEPT = "everything saved before this point is kept and the step in progress was rolled back";

/** Who reads the words: someone at the command line, or someone using the web app. */
export type Audience = "cli" | "server";

interface Voice {
  /** Doing it again, once fixed. */
  again: string;
  /** Choosing another data folder ("another", "a writable"). */
  otherDataDir(which: string): string;
  /** Starting over from an empty database. */
  startOver: string;
  /** What still works in a data folder that cannot be written ("" when nothing is worth saying). */
  readersStillWork: string;
}

const VOICES: Record<Audience, Voice> = {
  cli: {
    again: "run the command again",
    otherDataDir: (which) => `use ${which} --data-dir`,
    startOver: "run `shelfwise scan` to start over",
    readersStillWork: "; commands that only read (status, books, plan, history) still work",
  },
  server: {
    again: "try again",
    otherDataDir: (which) => `restart \`shelfwise serve\` with ${which} --data-dir`,
    startOver: "restart `shelfwise serve` and scan the library to start over",
    readersStillWork: "",
  },
};

/**
 * The one-line message for a fault of the machine (disk full, read-only
 * storage, a lock held too long, a newer database, no permission), or null
 * when `error` is not one of those.
 */
export function describeEnvironmentError(error: unknown, dataDir: string | null, audience: Audience = "cli"): string | null {
  const named = faultPath(error);
  const fault = classifyFault(error, named ?? dataDir);
  if (!fault) return null;
  // A write refused by the private read-only copy a reader fell back to: the real reason is why the copy was needed.
  const cause = snapshotCause();
  if (fault === "read_only" && /^SQLITE_READONLY/.test(codeOf(error)) && cause && cause !== error) return describeEnvironmentError(cause, dataDir, audience);
  const database = dataDir ? path.join(dataDir, "shelfwise.db") : "the database";
  // SQLite says only "unable to open database file" or "readonly": find which of its files is in the way, and how.
  const blocked = named === null && (fault === "permission" || fault === "read_only") && /^SQLITE_/.test(codeOf(error)) && dataDir ? blockingFile(dataDir) : null;
  const voice = VOICES[audience];
  const found = inTheWayOf(error);
  const inTheWay = found ? { path: found.path, notAFile: found.what } : blocked?.notAFile ? blocked : null;
  if (inTheWay) {
    return `${shownPath(inTheWay.path)} is ${inTheWay.notAFile}, where shelfwise keeps a file of its own; nothing was changed; move it away (or ${voice.otherDataDir("another")}) and ${voice.again}`;
  }
  const where = blocked?.path ?? named ?? dataDir ?? "the data folder";
  // A folder this user may not enter (mode 000, another user's 0700 folder) denies every file below it: naming
  // config.json there sent the user to a file they could not even reach. The folder is what to fix.
  const closed = fault === "permission" ? closedFolderOn(where) : null;
  if (closed !== null) {
    return `permission denied: ${shownPath(closed)} is a folder this user may not open; nothing was changed there; give this user read, write and search (x) permission on it (or ${voice.otherDataDir("another")}) and ${voice.again}`;
  }
  // A file of the database's own (its -wal, -shm) or the lock, not the database or the folder: that file is what to fix.
  const sideFile = blocked && blocked.path !== database && blocked.path !== dataDir ? shownPath(blocked.path) : undefined;
  return MESSAGES[fault](error as Error, { database: shownPath(database), where: shownPath(where), dataDir: shownPath(dataDir ?? "the data folder"), sideFile }, voice);
}

/** The outermost folder on the way to `target` (itself included when a folder) that this user may not search, or null. */
function closedFolderOn(target: string): string | null {
  if (!path.isAbsolute(target)) return null;
  const folders: string[] = [];
  for (let d = target; ; d = path.dirname(d)) {
    folders.unshift(d);
    if (path.dirname(d) === d) break;
  }
  for (const folder of folders) {
    try {
      if (!fs.statSync(folder).isDirectory()) return null;
    } catch {
      // Not there, or below a closed folder already passed: nothing more to find.
      return null;
    }
    try {
      fs.accessSync(folder, fs.constants.X_OK);
    } catch {
      return folder;
    }
  }
  return null;
}

function inTheWayOf(error: unknown): InTheWayError | null {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof InTheWayError) return e;
  }
  return null;
}

function codeOf(error: unknown): string {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return "";
}

/** A path inside a one-line message: a newline or escape in a folder name is shown, never obeyed. */
function shownPath(p: string): string {
  return terminalSafe(p);
}

/**
 * Which of the data folder's SQLite files cannot be opened: one that is a
 * folder (or a socket, a device) where a file must be, else the first this
 * user may not read and write, else the folder itself when it may not be written.
 */
function blockingFile(dataDir: string): { path: string; notAFile?: string } | null {
  const files = ["shelfwise.db", "shelfwise.db-wal", "shelfwise.db-shm", "shelfwise.db-journal", "shelfwise.lock", "shelfwise.lock-journal"].map((name) => path.join(dataDir, name));
  for (const file of files) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      continue;
    }
    if (stat.isDirectory()) return { path: file, notAFile: "a folder" };
    if (!stat.isFile()) return { path: file, notAFile: "not a regular file" };
  }
  for (const file of files) {
    try {
      fs.accessSync(file, fs.constants.R_OK | fs.constants.W_OK);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") return { path: file };
    }
  }
  try {
    fs.accessSync(dataDir, fs.constants.W_OK | fs.constants.X_OK);
  } catch {
    return { path: dataDir };
  }
  return null;
}

/** The data folder's lock (shelfwise.lock, its holder note shelfwise.lock.json and that note's temporary file). */
function isLockFile(p: string): boolean {
  return /^shelfwise\.lock(\.json)?(\.\d+\.tmp)?$/.test(path.basename(p));
}

type Describe = (error: Error, at: { database: string; where: string; dataDir: string; sideFile?: string }, voice: Voice) => string;

const MESSAGES: Record<EnvironmentFault, Describe> = {
  disk_full: (_e, at, v) =>
    `the disk is full (writing ${at.where}); ${KEPT}; free some space on that disk and ${v.again}`,
  read_only: (e, at, v) =>
    (e as { code?: string }).code === "EROFS"
      ? isLockFile(at.where)
        ? // The lock is a writer's first write: refused there, the command changed nothing at all.
          `the data folder ${path.dirname(at.where)} is on a read-only file system (its lock ${path.basename(at.where)} cannot be written), so nothing can be recorded there; nothing was changed${v.readersStillWork}; remount it read-write or ${v.otherDataDir("a writable")}, then ${v.again}`
        : `${at.where} is on a read-only file system; ${KEPT}; remount it read-write or ${v.otherDataDir("a writable")}, then ${v.again}`
      : at.sideFile
        ? `${at.sideFile} is not writable by this user (another user's file, or its write permission was taken away), so the database cannot be written; nothing was changed; give this user write access to it (chown or chmod; do not delete it, it may hold saved changes) and ${v.again}`
        : `the database ${at.database} (or its folder) is read-only for this user; nothing was changed; make both writable (or ${v.otherDataDir("another")}) and ${v.again}`,
  locked: (_e, at, v) =>
    `the database ${at.database} stayed locked by another program past the timeout; ${KEPT}; wait until the other program (another shelfwise, a sqlite3 shell) finishes and ${v.again}`,
  permission: (_e, at, v) =>
    `permission denied: ${at.where}; nothing was changed there; give this user read and write access to it (or ${v.otherDataDir("another")}) and ${v.again}`,
  too_new: (e, _at, v) =>
    `${e.message.replace(/; upgrade shelfwise$/, "")}; it was left untouched; upgrade shelfwise to use it (or ${v.otherDataDir("another")})`,
  corrupt: (_e, at, v) =>
    `the database ${at.database} is damaged (not a valid SQLite database); nothing was changed; restore it from a backup, or move it away and ${v.startOver}`,
  // Worded above (inTheWayOf finds it wherever it is in the cause chain).
  in_the_way: (_e, at, v) => `${at.where} is in the way of a file of shelfwise's own; nothing was changed; move it away and ${v.again}`,
  io: (_e, at, v) =>
    `the disk reported an input/output error (writing ${at.where}); ${KEPT}; check the disk (dmesg, fsck) and ${v.again}`,
};
