import fs from "node:fs";
import path from "node:path";

/** A database that cannot be opened or used; the message says which file and why. */
export class StoreError extends Error {}

/** The database was written by a newer shelfwise (its schema is beyond what this one knows). */
export class DatabaseTooNewError extends StoreError {
  constructor(
    readonly file: string,
    readonly found: number,
    readonly known: number,
  ) {
    super(`database ${file} has schema version ${found}, newer than this shelfwise knows (${known}); upgrade shelfwise`);
  }
}

/**
 * A valid SQLite database at shelfwise.db that shelfwise never made: no schema
 * version, yet tables of its own (another program's file, a `--data-dir`
 * pointed at the wrong folder). Migrating it would write shelfwise's tables
 * and WAL mode into someone else's file, so it is refused before any write.
 */
export class ForeignDatabaseError extends StoreError {
  constructor(
    readonly file: string,
    /** A few of the names its schema holds, for the message. */
    readonly names: string[],
    readonly count: number,
    /** Its tables are shelfwise's own: a copy rebuilt by sqlite3's `.dump` or `.recover`, which leave the version out. */
    readonly ours = false,
  ) {
    const shown = names.join(", ") + (count > names.length ? `, and ${count - names.length} more` : "");
    super(
      ours
        ? `database ${file} holds shelfwise's tables but no schema version (sqlite3's .dump and .recover leave it out, and the indexes shelfwise computes)`
        : `database ${file} is not a shelfwise database: it holds another program's tables (${shown}) and no shelfwise schema version`,
    );
  }
}

/**
 * Something that is not a plain file of its own sits where shelfwise keeps a
 * file (a folder, a symbolic link, a pipe): it is never written through, and
 * the user is told to move it away.
 */
export class InTheWayError extends StoreError {
  readonly code = "SHELFWISE_IN_THE_WAY";
  constructor(
    readonly path: string,
    /** "a folder", "a symbolic link", "not a regular file", ... */
    readonly what: string,
  ) {
    super(`${path} is ${what}, where shelfwise keeps a file of its own`);
  }
}

/** What `stat` is, in the words of InTheWayError ("a folder", "a symbolic link"...). */
export function notAFileWords(stat: fs.Stats): string {
  return stat.isDirectory() ? "a folder" : stat.isSymbolicLink() ? "a symbolic link" : "not a regular file";
}

/**
 * What the environment refused, as far as the user is concerned. Every
 * SQLite result code and file-system errno that is about the machine rather
 * than about shelfwise maps to one of these.
 */
export type EnvironmentFault = "disk_full" | "read_only" | "locked" | "permission" | "too_new" | "foreign" | "corrupt" | "io" | "in_the_way";

const SQLITE_FAULTS: [RegExp, EnvironmentFault][] = [
  [/^SQLITE_FULL/, "disk_full"],
  [/^SQLITE_IOERR_(?:WRITE|FSYNC|SHMSIZE|TRUNCATE)$/, "io"],
  [/^SQLITE_READONLY/, "read_only"],
  [/^SQLITE_(?:BUSY|LOCKED)/, "locked"],
  [/^SQLITE_(?:PERM|AUTH)/, "permission"],
  [/^SQLITE_CANTOPEN/, "permission"],
  [/^SQLITE_(?:CORRUPT|NOTADB)/, "corrupt"],
  [/^SQLITE_IOERR/, "io"],
];

const ERRNO_FAULTS: Record<string, EnvironmentFault> = {
  ENOSPC: "disk_full",
  EDQUOT: "disk_full",
  EFBIG: "disk_full",
  EROFS: "read_only",
  EACCES: "permission",
  EPERM: "permission",
  EIO: "io",
};

/**
 * The environment fault behind `error` (or its `cause` chain), or null when it
 * is something else. `where` is a path on the disk the error came from: an
 * I/O error there while the disk has no room left is a full disk (SQLite
 * reports a shared-memory file it could not grow as SQLITE_IOERR_SHMSIZE,
 * and "check the disk with fsck" would send the user the wrong way).
 */
export function classifyFault(error: unknown, where?: string | null): EnvironmentFault | null {
  const fault = codeFault(error);
  if (fault === "io" && where && diskHasNoRoom(where)) return "disk_full";
  return fault;
}

/** Less than this free for this user counts as full: SQLite alone needs 32 KiB to open a WAL database. */
const NO_ROOM_BYTES = 1024 * 1024;

/** Whether the file system holding `where` (or its nearest existing parent) has (almost) no space left for this user. */
export function diskHasNoRoom(where: string): boolean {
  for (let p = path.resolve(where); ; p = path.dirname(p)) {
    try {
      const stat = fs.statfsSync(p);
      return stat.bavail * stat.bsize < NO_ROOM_BYTES;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT" || path.dirname(p) === p) return false;
    }
  }
}

function codeFault(error: unknown): EnvironmentFault | null {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof DatabaseTooNewError) return "too_new";
    if (e instanceof ForeignDatabaseError) return "foreign";
    if (e instanceof InTheWayError) return "in_the_way";
    const code = (e as { code?: unknown }).code;
    if (typeof code !== "string") continue;
    if (code.startsWith("SQLITE_")) {
      // SQLite reports "unable to open database file" for a missing or forbidden folder alike.
      for (const [pattern, fault] of SQLITE_FAULTS) if (pattern.test(code)) return fault;
      continue;
    }
    const fault = ERRNO_FAULTS[code];
    if (fault) return fault;
  }
  return null;
}

/** The file an error names (`path` of a Node fs error), when it names one. */
export function faultPath(error: unknown): string | null {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const p = (e as { path?: unknown }).path;
    if (typeof p === "string") return p;
  }
  return null;
}
