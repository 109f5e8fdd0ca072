import type Database from "better-sqlite3";
import fs from "node:fs";
import { openSqlite } from "./sqlite.js";
import path from "node:path";
import { MIGRATIONS } from "./migrations.js";
import { registerFold, syncBookSearch } from "./book-queries.js";
import os from "node:os";
import { classifyFault, DatabaseTooNewError, ForeignDatabaseError, StoreError } from "./store-error.js";

export type Db = Database.Database;

/**
 * How long a statement waits for a database another program holds (a sqlite3 shell's open transaction, a backup
 * tool) before the command says it stayed locked: 5 s, or `SHELFWISE_BUSY_TIMEOUT_MS` (whole milliseconds, up to an
 * hour; README) for a user who would rather wait longer behind a slow backup, or fail at once in a script. A value
 * that is not such a number is ignored (the environment is the user's, but a typo must not make every write fail at
 * once or wait for ever). Read at each open: a long-running `serve` follows the environment it started with anyway.
 */
export const DEFAULT_BUSY_TIMEOUT_MS = 5_000;
const MAX_BUSY_TIMEOUT_MS = 3_600_000;

export function busyTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SHELFWISE_BUSY_TIMEOUT_MS?.trim();
  if (!raw || !/^\d{1,7}$/.test(raw)) return DEFAULT_BUSY_TIMEOUT_MS;
  return Math.min(Number(raw), MAX_BUSY_TIMEOUT_MS);
}

export { StoreError };

/**
 * Opens (creating if needed) the shelfwise database and brings its schema up
 * to date. WAL keeps readers (the web app, `books`) unblocked while `process`
 * writes; NORMAL sync is durable across process crashes, which is what the
 * batch-per-transaction crash guarantee needs.
 */
export function openDatabase(file: string): Db {
  const identity = fileIdentity(file);
  try {
    const db = remember(openReadWrite(file), file);
    // The cause explains writes refused by a copy this process reads now: a long-running process (`serve`)
    // that opened a copy once and the real file since must not word a later refusal as the old cause.
    lastSnapshotCause = null;
    return db;
  } catch (error) {
    // A WAL database in a folder this user cannot write (a read-only mount, another owner), or on a
    // disk too full to grow its shared-memory file, cannot be opened even to read. Readers then read
    // a private copy; any write fails, and is reported as what made the copy necessary.
    const fault = classifyFault(error, file);
    if ((fault === "read_only" || fault === "permission" || fault === "disk_full") && isReadable(file)) {
      const snapshot = openSnapshot(file);
      if (snapshot) {
        lastSnapshotCause = error;
        // The copy stands for the file it was made of.
        if (identity) opened.set(snapshot, { file, ...identity });
        return snapshot;
      }
    }
    throw error;
  }
}

let lastSnapshotCause: unknown = null;

/** The file each open database was opened from, and which file that was (device and inode). */
const opened = new WeakMap<Db, { file: string; dev: number; ino: number }>();

function fileIdentity(file: string): { dev: number; ino: number } | null {
  try {
    const stat = fs.statSync(file);
    return { dev: stat.dev, ino: stat.ino };
  } catch {
    return null;
  }
}

function remember(db: Db, file: string): Db {
  const identity = fileIdentity(file);
  if (identity) opened.set(db, { file, ...identity });
  return db;
}

/**
 * Whether the file `db` was opened from is still the file at that path. A
 * long-running process (`serve`) whose data folder was removed, renamed or
 * restored from a backup keeps writing to the file it opened, which nobody
 * will read again: it must stop writing instead. True when unknown.
 */
export function databaseStillInPlace(db: Db): boolean {
  const was = opened.get(db);
  if (!was) return true;
  const now = fileIdentity(was.file);
  return now !== null && now.dev === was.dev && now.ino === was.ino;
}

/**
 * Why the database this process opened last was opened as a read-only private
 * copy (the error opening the real one), or null when it was opened read-write. A write refused by such a copy
 * ("read-only database") is the user's disk full or folder read-only, and is
 * worded as that.
 */
export function snapshotCause(): unknown {
  return lastSnapshotCause;
}

function openReadWrite(file: string): Db {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let db: Db;
  try {
    db = openSqlite(file);
  } catch (error) {
    throw new StoreError(`cannot open database ${file}: ${(error as Error).message}`, { cause: error });
  }
  try {
    db.pragma(`busy_timeout = ${busyTimeoutMs()}`);
    // A large library's profiles are tens of MB: keep the working set in memory
    // (64 MiB page cache) instead of re-reading pages from the OS per batch.
    db.pragma("cache_size = -65536");
    db.pragma("mmap_size = 268435456");
    // Before anything writes (switching to WAL rewrites the header): a newer database stays untouched.
    refuseNewer(db, file);
    refuseForeign(db, file);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    // Statement journals (every multi-row statement on a table with triggers, as books has) and sorts' temporary
    // b-trees stay in memory: on disk each statement's journal spilled to a temporary file past 64 KiB, written and
    // read back per statement (the pipeline's per-book writes, a scan's inserts). What is committed is unchanged.
    db.pragma("temp_store = MEMORY");
    // Before migrating: the author and series indexes are built on the fold, and every write of a book computes them.
    registerFold(db);
    migrate(db, file);
  } catch (error) {
    db.close();
    if (error instanceof StoreError) throw error;
    throw new StoreError(`database ${file} is not usable: ${(error as Error).message}`, { cause: error });
  }
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma("user_version", { simple: true }) as number;
}

/**
 * A mark that changes whenever the database's content may have: another
 * connection's commit (data_version) or a row written through this one
 * (total_changes). Equal marks: nothing was written in between, so what was
 * read from the rows (a plan) still holds for them.
 */
export function contentMark(db: Db): string {
  const others = db.pragma("data_version", { simple: true }) as number;
  const own = db.prepare("SELECT total_changes()").pluck().get() as number;
  return `${others}:${own}`;
}

/**
 * A second, read-only connection to the file `db` reads (the private copy, when
 * `db` is one), for a long read that must not hold `db` busy: the server
 * builds the Review page's plan on one, in slices, while `db` answers the
 * other requests. Close it with `close()`.
 */
export function openReader(db: Db): Db {
  const reader = openSqlite(db.name, { readonly: true });
  try {
    reader.pragma(`busy_timeout = ${busyTimeoutMs()}`);
    reader.pragma("cache_size = -65536");
    reader.pragma("mmap_size = 268435456");
    registerFold(reader);
  } catch (error) {
    reader.close();
    throw error;
  }
  return reader;
}

/**
 * Reads on `db` from here until the returned function is called see one state
 * of the database (a read transaction; in WAL, writers are not held up).
 */
export function holdReadSnapshot(db: Db): () => void {
  db.exec("BEGIN");
  return () => {
    if (db.inTransaction) db.exec("COMMIT");
  };
}

const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

function refuseNewer(db: Db, file: string): void {
  const current = schemaVersion(db);
  if (current > LATEST_VERSION) {
    throw new DatabaseTooNewError(file, current, LATEST_VERSION);
  }
}

/**
 * A database with no schema version is made from scratch only when it is empty (a new file, or one a first
 * open killed before its migration committed: version and tables commit together). Tables without a version
 * are another program's, or shelfwise's rebuilt by sqlite3's `.dump` (which leaves the version out): never
 * written into, since migrating from 0 would run every step again over tables that are there.
 */
function refuseForeign(db: Db, file: string): void {
  if (schemaVersion(db) !== 0) return;
  const count = db.prepare("SELECT count(*) FROM sqlite_master").pluck().get() as number;
  if (count === 0) return;
  const names = db.prepare("SELECT name FROM sqlite_master ORDER BY rowid LIMIT 3").pluck().all() as string[];
  const ours = (db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('books', 'layer_runs', 'moves')").pluck().get() as number) === 3;
  throw new ForeignDatabaseError(file, names, count, ours);
}

/**
 * Brings the schema up to date in one write transaction. The version is read
 * again once the write lock is held: two commands opening an older database
 * at once (readers migrate too, and take no data-folder lock) would otherwise
 * both start from the version they read before, and the second would apply
 * steps the first had already applied, setting `user_version` back to an
 * older number over a newer schema, after which every open failed.
 */
function migrate(db: Db, file: string): void {
  // The usual case: nothing to do, and no write lock taken (readers never queue behind a writer).
  if (schemaVersion(db) === LATEST_VERSION) return;
  db.exec("BEGIN IMMEDIATE");
  try {
    const current = schemaVersion(db);
    // A newer shelfwise may have migrated it meanwhile: refused as at open, nothing written.
    if (current > LATEST_VERSION) throw new DatabaseTooNewError(file, current, LATEST_VERSION);
    for (const migration of MIGRATIONS) {
      if (migration.version <= current) continue;
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }
    db.exec("COMMIT");
  } catch (error) {
    if (db.inTransaction) db.exec("ROLLBACK");
    throw error;
  }
  // Migrations that change what a search looks at queue every book: indexed now, once, by the command that
  // wrote anyway, rather than read through the queue by every search until the next writer. In its own
  // transaction (the migration's stays short: other commands wait for it); should it fail, the next writer does it.
  try {
    syncBookSearch(db);
  } catch {
    // Searches read queued books as they are meanwhile.
  }
}

export function nowIso(): string {
  return new Date().toISOString();
}

function isReadable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Where a snapshot may go: the temp folder first, then the usual others, since a TMPDIR that is missing, read-only
 * or full (a cron job's environment, a tmpfs filled by something else) must not cost the reader its answer.
 */
function snapshotFolders(): string[] {
  const candidates = [os.tmpdir(), process.env.XDG_RUNTIME_DIR, "/tmp", "/var/tmp", "/dev/shm"];
  return [...new Set(candidates.filter((dir): dir is string => typeof dir === "string" && path.isAbsolute(dir)))];
}

/** A private folder holding a copy of `file` and its WAL (if one is left), in the first temp folder that takes it. */
function copyForSnapshot(file: string): { dir: string; copy: string } | null {
  for (const parent of snapshotFolders()) {
    let dir: string | null = null;
    try {
      dir = fs.mkdtempSync(path.join(parent, "shelfwise-readonly-"));
      const copy = path.join(dir, path.basename(file));
      fs.copyFileSync(file, copy);
      if (fs.existsSync(`${file}-wal`)) fs.copyFileSync(`${file}-wal`, `${copy}-wal`);
      return { dir, copy };
    } catch {
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return null;
}

/**
 * A read-only copy of the database (and its WAL, if one is left) in a temp
 * folder, removed at exit. Nobody can write to the original while its folder
 * is read-only, so the copy is the same data. Null when even that fails.
 */
function openSnapshot(file: string): Db | null {
  let dir: string | null = null;
  try {
    const made = copyForSnapshot(file);
    if (!made) return null;
    dir = made.dir;
    const copy = made.copy;
    const db = openSqlite(copy);
    const cleanup = () => fs.rmSync(dir!, { recursive: true, force: true });
    process.once("exit", cleanup);
    db.pragma(`busy_timeout = ${busyTimeoutMs()}`);
    refuseNewer(db, file);
    refuseForeign(db, file);
    if (schemaVersion(db) < LATEST_VERSION) {
      db.close();
      cleanup();
      return null;
    }
    db.pragma("query_only = ON");
    registerFold(db);
    return db;
  } catch (error) {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    if (error instanceof DatabaseTooNewError || error instanceof ForeignDatabaseError) throw error;
    return null;
  }
}
