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
import { SettingsWriteError } from "../config/config-file.js";
import { sentence } from "../domain/command-advice.js";
import { terminalSafe } from "../domain/terminal-safe.js";
import { snapshotCause } from "../store/database.js";
import { leftMoves } from "../store/moves-left.js";
import { classifyFault, faultPath, ForeignDatabaseError, InTheWayError, type EnvironmentFault } from "../store/store-error.js";

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
  // Already a page's words: each message is a sentence whose values (a path, and these voice parts) are never
  // reworded on a page, so a data folder named like a command stays its name (server/page-words.ts).
  server: {
    again: "try again",
    otherDataDir: (which) => `restart the shelfwise server with ${which} --data-dir`,
    startOver: "restart the shelfwise server and scan the library to start over",
    readersStillWork: "",
  },
};

/*
 * The messages, as sentences (domain/command-advice.ts): their parts are known, so a page shows each value (a
 * path, a folder named `` `shelfwise scan` ``) as it is; the whole-text rewrite made such a name "Scan library
 * on the dashboard". The voice's words are values too: the server's are a page's words already.
 */
const IN_THE_WAY = sentence`${0} is ${1}, where shelfwise keeps a file of its own; nothing was changed; move it away (or ${2}) and ${3}`;
const CLOSED = sentence`permission denied: ${0} is a folder this user may not open; nothing was changed there; give this user read, write and search (x) permission on it (or ${1}) and ${2}`;
const DISK_FULL = sentence`the disk is full (writing ${0}); everything saved before this point is kept and the step in progress was rolled back; free some space on that disk and ${1}`;
const LOCK_READ_ONLY = sentence`the data folder ${0} is on a read-only file system (its lock ${1} cannot be written), so nothing can be recorded there; nothing was changed${2}; remount it read-write or ${3}, then ${4}`;
const READ_ONLY_FS = sentence`${0} is on a read-only file system; everything saved before this point is kept and the step in progress was rolled back; remount it read-write or ${1}, then ${2}`;
const SIDE_FILE_READ_ONLY = sentence`${0} is not writable by this user (another user's file, or its write permission was taken away), so the database cannot be written; nothing was changed; give this user write access to it (chown or chmod; do not delete it, it may hold saved changes) and ${1}`;
const DATABASE_READ_ONLY = sentence`the database ${0} (or its folder) is read-only for this user; nothing was changed; make both writable (or ${1}) and ${2}`;
const LOCKED = sentence`the database ${0} stayed locked by another program past the timeout; everything saved before this point is kept and the step in progress was rolled back; wait until the other program (another shelfwise, a sqlite3 shell) finishes and ${1}`;
const PERMISSION = sentence`permission denied: ${0}; nothing was changed there; give this user read and write access to it (or ${1}) and ${2}`;
const TOO_NEW = sentence`${0}; it was left untouched; upgrade shelfwise to use it (or ${1})`;
const FOREIGN = sentence`${0}; it was left untouched; if it is shelfwise's, restore shelfwise.db from a backup; otherwise move it out of the data folder (or ${1})`;
const UNVERSIONED = sentence`${0}; it was left untouched; restore shelfwise.db from a copy of the file itself (made while no shelfwise ran, or by sqlite3's .backup), or move it away and ${1}`;
const CORRUPT = sentence`the database ${0} is damaged (not a valid SQLite database); nothing was changed; restore it from a backup, or move it away and ${1}`;
const IN_THE_WAY_OWN = sentence`${0} is in the way of a file of shelfwise's own; nothing was changed; move it away and ${1}`;
// config.json or secrets.json: the database's "rolled back" words were wrong for them, and the data folder was named, not the file.
const SETTINGS_DISK_FULL = sentence`the disk is full (writing ${0}); nothing was changed: ${1}; free some space on that disk and ${2}`;
const SETTINGS_IO = sentence`the disk reported an input/output error (writing ${0}); nothing was changed: ${1}; check the disk (dmesg, fsck) and ${2}`;
// The folder refused the new copy a settings file is replaced by: its temporary name is nothing the user knows.
const SETTINGS_FOLDER_READ_ONLY = sentence`the folder ${0} is read-only for this user, so ${1} cannot be saved (shelfwise replaces it by a new copy written beside it); nothing was changed: ${2}; give this user write permission on that folder (or ${3}) and ${4}`;
const SETTINGS_FOLDER_ROFS = sentence`the folder ${0} is on a read-only file system, so ${1} cannot be saved; nothing was changed: ${2}; remount it read-write (or ${3}), then ${4}`;
// apply or undo stopped after books had moved: they stay where they are, and the journal is settled from the disk.
const MOVES_DISK_FULL = sentence`the disk is full (writing ${0}); the books moved so far stay moved and none is lost: the moves under way are settled by the next shelfwise command, from what is on disk; free some space on that disk and ${1}`;
const IO = sentence`the disk reported an input/output error (writing ${0}); everything saved before this point is kept and the step in progress was rolled back; check the disk (dmesg, fsck) and ${1}`;

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
  const settings = settingsWriteOf(error);
  if (settings && (fault === "io" || fault === "disk_full")) {
    const file = shownPath(settings.file);
    const kept = settings.existed ? `${path.basename(settings.file)} is as it was` : `${path.basename(settings.file)} was not created`;
    return fault === "io" ? SETTINGS_IO(file, kept, voice.again) : SETTINGS_DISK_FULL(file, kept, voice.again);
  }
  if (settings?.folder !== undefined && (fault === "permission" || fault === "read_only")) {
    const kept = settings.existed ? `${path.basename(settings.file)} is as it was` : `${path.basename(settings.file)} was not created`;
    const folder = shownPath(settings.folder);
    const name = path.basename(settings.file);
    // A folder this user may not even enter says so (below); one it may enter but not write is read-only to it.
    if (fault === "read_only") return SETTINGS_FOLDER_ROFS(folder, name, kept, voice.otherDataDir("a writable"), voice.again);
    if (closedFolderOn(settings.folder) === null) return SETTINGS_FOLDER_READ_ONLY(folder, name, kept, voice.otherDataDir("another"), voice.again);
  }
  const found = inTheWayOf(error);
  const inTheWay = found ? { path: found.path, notAFile: found.what } : blocked?.notAFile ? blocked : null;
  if (inTheWay) {
    return IN_THE_WAY(shownPath(inTheWay.path), inTheWay.notAFile ?? "", voice.otherDataDir("another"), voice.again);
  }
  const where = blocked?.path ?? named ?? dataDir ?? "the data folder";
  // A folder this user may not enter (mode 000, another user's 0700 folder) denies every file below it: naming
  // config.json there sent the user to a file they could not even reach. The folder is what to fix.
  const closed = fault === "permission" ? closedFolderOn(where) : null;
  if (closed !== null) {
    return CLOSED(shownPath(closed), voice.otherDataDir("another"), voice.again);
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

function settingsWriteOf(error: unknown): SettingsWriteError | null {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof SettingsWriteError) return e;
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
  disk_full: (e, at, v) => (leftMoves(e) ? MOVES_DISK_FULL(at.where, v.again) : DISK_FULL(at.where, v.again)),
  read_only: (e, at, v) =>
    (e as { code?: string }).code === "EROFS"
      ? isLockFile(at.where)
        ? // The lock is a writer's first write: refused there, the command changed nothing at all.
          LOCK_READ_ONLY(path.dirname(at.where), path.basename(at.where), v.readersStillWork, v.otherDataDir("a writable"), v.again)
        : READ_ONLY_FS(at.where, v.otherDataDir("a writable"), v.again)
      : at.sideFile
        ? SIDE_FILE_READ_ONLY(at.sideFile, v.again)
        : DATABASE_READ_ONLY(at.database, v.otherDataDir("another"), v.again),
  locked: (_e, at, v) => LOCKED(at.database, v.again),
  permission: (_e, at, v) => PERMISSION(at.where, v.otherDataDir("another"), v.again),
  too_new: (e, _at, v) => TOO_NEW(e.message.replace(/; upgrade shelfwise$/, ""), v.otherDataDir("another")),
  foreign: (e, _at, v) => ((e as ForeignDatabaseError).ours ? UNVERSIONED(e.message, v.startOver) : FOREIGN(e.message, v.otherDataDir("another"))),
  corrupt: (_e, at, v) => CORRUPT(at.database, v.startOver),
  // Worded above (inTheWayOf finds it wherever it is in the cause chain).
  in_the_way: (_e, at, v) => IN_THE_WAY_OWN(at.where, v.again),
  io: (_e, at, v) => IO(at.where, v.again),
};
