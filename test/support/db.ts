import Database from "better-sqlite3";
import path from "node:path";
import { afterEach, beforeEach } from "vitest";
import { openDatabase, type Db } from "../../src/store/database.js";
import { makeTempDir, removeTempDir } from "./temp-dir.js";

/**
 * A fresh database file in a temp folder for each test of the calling file,
 * handed to `use` before each test and closed and removed after it.
 */
export function useTempDatabase(label: string, use: (db: Db) => void): void {
  let tmp = "";
  let db: Db | undefined;
  beforeEach(() => {
    tmp = makeTempDir(label);
    db = openDatabase(path.join(tmp, "shelfwise.db"));
    use(db);
  });
  afterEach(() => {
    db?.close();
    removeTempDir(tmp);
  });
}

/** Reads a data dir's database the way a second process would (read-only; WAL lets it run beside a writer). */
export function withDb<T>(dataDir: string, read: (db: Database.Database) => T): T {
  const db = new Database(path.join(dataDir, "shelfwise.db"), { readonly: true, fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    return read(db);
  } finally {
    db.close();
  }
}

export interface StoredBook {
  id: number;
  path: string;
  status: string;
  status_reason: string | null;
  profile: string;
  proposed_path: string | null;
  confidence: number;
}

export function storedBooks(dataDir: string): StoredBook[] {
  return withDb(dataDir, (db) => db.prepare("SELECT b.*, coalesce((SELECT profile FROM book_profiles WHERE book_id = b.id), '{}') AS profile FROM books b ORDER BY path").all() as StoredBook[]);
}

/** `layer_id:status` of every run, per book path. */
export function runsByPath(dataDir: string): Record<string, string[]> {
  return withDb(dataDir, (db) => {
    const rows = db
      .prepare("SELECT b.path, r.layer_id, r.status FROM books b JOIN layer_runs r ON r.book_id = b.id ORDER BY b.path, r.layer_id")
      .all() as { path: string; layer_id: string; status: string }[];
    const out: Record<string, string[]> = {};
    for (const row of rows) (out[row.path] ??= []).push(`${row.layer_id}:${row.status}`);
    return out;
  });
}
