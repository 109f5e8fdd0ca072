/**
 * Errors as the user reads them: one line that says what happened, what was
 * kept and what to do. Stacks are for the log, never for the terminal.
 */
import path from "node:path";
import { classifyFault, faultPath, type EnvironmentFault } from "../store/store-error.js";

/** An error the user can act on: printed without a stack, with its exit code. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

let currentDataDir: string | null = null;

/** The data folder of the command being run, so an error from deep inside can name its files. */
export function noteDataDir(dataDir: string): void {
  currentDataDir = dataDir;
}

export function notedDataDir(): string | null {
  return currentDataDir;
}

const KEPT = "everything saved before this point is kept and the step in progress was rolled back";

/**
 * The one-line message for a fault of the machine (disk full, read-only
 * storage, a lock held too long, a newer database, no permission), or null
 * when `error` is not one of those.
 */
export function describeEnvironmentError(error: unknown, dataDir: string | null = currentDataDir): string | null {
  const fault = classifyFault(error);
  if (!fault) return null;
  const database = dataDir ? path.join(dataDir, "shelfwise.db") : "the database";
  const file = faultPath(error);
  const where = file ?? (dataDir ?? "the data folder");
  return MESSAGES[fault](error as Error, { database, where, dataDir: dataDir ?? "the data folder" });
}

type Describe = (error: Error, at: { database: string; where: string; dataDir: string }) => string;

const MESSAGES: Record<EnvironmentFault, Describe> = {
  disk_full: (_e, at) =>
    `the disk is full (writing ${at.where}); ${KEPT}; free some space on that disk and run the command again`,
  read_only: (e, at) =>
    (e as { code?: string }).code === "EROFS"
      ? `${at.where} is on a read-only file system; ${KEPT}; remount it read-write or use a writable --data-dir, then run the command again`
      : `the database ${at.database} (or its folder) is read-only for this user; nothing was changed; make both writable (or use another --data-dir) and run the command again`,
  locked: (_e, at) =>
    `the database ${at.database} stayed locked by another program past the timeout; ${KEPT}; wait until the other program (another shelfwise, a sqlite3 shell) finishes and run the command again`,
  permission: (_e, at) =>
    `permission denied: ${at.where}; nothing was changed there; give this user read and write access to it (or use another --data-dir) and run the command again`,
  too_new: (e) =>
    `${e.message.replace(/; upgrade shelfwise$/, "")}; it was left untouched; upgrade shelfwise to use it (or use another --data-dir)`,
  corrupt: (_e, at) =>
    `the database ${at.database} is damaged (not a valid SQLite database); nothing was changed; restore it from a backup, or move it away and run \`shelfwise scan\` to start over`,
  io: (_e, at) =>
    `the disk reported an input/output error (writing ${at.where}); ${KEPT}; check the disk (dmesg, fsck) and run the command again`,
};
