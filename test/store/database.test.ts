import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { busyTimeoutMs, DEFAULT_BUSY_TIMEOUT_MS, openDatabase, schemaVersion, StoreError } from "../../src/store/database.js";
import { MIGRATIONS } from "../../src/store/migrations.js";
import { writeBookJudgement } from "../../src/store/book-edits.js";
import { registerFold } from "../../src/store/book-queries.js";
import { bookProfile, getBook, listBooks } from "../../src/store/books.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { createDatabaseAtVersion } from "../support/old-schema.js";

const LATEST = MIGRATIONS[MIGRATIONS.length - 1]!.version;
let tmp: string;
let file: string;

beforeEach(() => {
  tmp = makeTempDir("db");
  file = path.join(tmp, "nested", "shelfwise.db");
});
afterEach(() => removeTempDir(tmp));

function tables(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'index') ORDER BY name").all() as { name: string }[])
    .map((r) => r.name)
    .filter((name) => !name.startsWith("sqlite_"));
}

/** Rows of `moves` as a later schema reads them: migration 12's companions column is NULL (none) on every older row. */
function withLaterMoveColumns(rows: unknown[]): unknown[] {
  return rows.map((row) => ({ ...(row as object), companions: null }));
}

/** Book rows as a later schema reads them: columns added since, at their defaults. */
function withLaterBookColumns(rows: unknown[]): unknown[] {
  return rows.map((row) => ({ ...(row as object), files_ctime: null, listing: null, folder_stamp: null }));
}

describe("openDatabase", () => {
  it("creates the file and its folder and migrates an empty database to the latest version", () => {
    const db = openDatabase(file);
    try {
      expect(schemaVersion(db)).toBe(LATEST);
      expect(tables(db)).toEqual(
        expect.arrayContaining(["books", "layer_runs", "plugin_state", "plugin_calls", "books_status"]),
      );
    } finally {
      db.close();
    }
  });

  it("migrates a database left at version 1 without touching its rows", () => {
    const old = new Database(file.replace("nested/", ""));
    old.exec(MIGRATIONS[0]!.sql);
    old.pragma("user_version = 1");
    old.prepare(
      `INSERT INTO books (path, kind, library_root, fingerprint, created_at, updated_at, scanned_at)
       VALUES ('/lib/a', 'folder', '/lib', 'fp', 't', 't', 't')`,
    ).run();
    old.close();
    const db = openDatabase(file.replace("nested/", ""));
    try {
      expect(schemaVersion(db)).toBe(LATEST);
      expect(tables(db)).toContain("plugin_state");
      expect(db.prepare("SELECT path FROM books").all()).toEqual([{ path: "/lib/a" }]);
    } finally {
      db.close();
    }
  });

  it("merges the rescan and status-list indexes over a database of the previous schema, every row kept", () => {
    const merge = MIGRATIONS.findIndex((m) => m.sql.includes("CREATE INDEX books_scan ON books (status, path, fingerprint, library_root)"));
    expect(merge).toBeGreaterThan(0);
    const older = file.replace("nested/", "");
    const old = new Database(older);
    for (const m of MIGRATIONS.slice(0, merge)) old.exec(m.sql);
    old.pragma(`user_version = ${MIGRATIONS[merge - 1]!.version}`);
    const insert = old.prepare(
      `INSERT INTO books (path, kind, library_root, status, fingerprint, files, created_at, updated_at, scanned_at)
       VALUES (?, 'folder', '/lib', ?, ?, ?, 't', 't', 't')`,
    );
    for (let i = 0; i < 50; i++) insert.run(`/lib/b${i}`, i % 3 ? "identified" : "missing", `fp${i}`, `[{"path":"/lib/b${i}/01.mp3","size":${i}}]`);
    old.prepare("INSERT INTO move_batches (kind, started_at) VALUES ('apply', 't')").run();
    old.prepare(
      `INSERT INTO moves (batch_id, kind, book_id, book_from, book_to, kind_from, kind_to, root_from, root_to, from_path, to_path, fingerprint, state, started_at)
       VALUES (1, 'apply', 1, '/lib/x', '/lib/b0', 'folder', 'folder', '/lib', '/lib', '/lib/x', '/lib/b0', 'fp0', 'done', 't')`,
    ).run();
    const before = { books: old.prepare("SELECT * FROM books ORDER BY id").all(), moves: old.prepare("SELECT * FROM moves").all() };
    old.close();
    const db = openDatabase(older);
    try {
      expect(schemaVersion(db)).toBe(LATEST);
      // The evidence is read from its own table since migration 26, as the store reads it (store/book-profiles.ts).
      const books = db.prepare("SELECT b.*, coalesce((SELECT profile FROM book_profiles WHERE book_id = b.id), '{}') AS profile FROM books b ORDER BY id").all();
      expect({ books, moves: db.prepare("SELECT * FROM moves").all() }).toEqual({
        books: withLaterBookColumns(before.books),
        moves: withLaterMoveColumns(before.moves),
      });
      const indexes = (db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'books' AND sql LIKE '%path%'").all() as { name: string; sql: string }[]);
      expect(indexes.map((i) => i.name)).toEqual(["books_scan"]);
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
      // Both readers still walk the index: a status list in path order, and a rescan's whole read.
      const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join("; ");
      expect(plan("SELECT id FROM books WHERE status = 'missing' ORDER BY path")).toMatch(/USING (COVERING )?INDEX books_scan \(status=\?\)$/);
      expect(db.prepare("SELECT path FROM books WHERE status = 'missing' ORDER BY path").all().map((r) => (r as { path: string }).path)).toEqual(
        (before.books as { path: string; status: string }[]).filter((b) => b.status === "missing").map((b) => b.path).sort(),
      );
    } finally {
      db.close();
    }
  });

  it("rebuilds the move journal over a database of the previous schema: every row, link and index kept, readers see the same", () => {
    const rebuild = MIGRATIONS.findIndex((m) => m.sql.includes("CREATE TABLE moves_v11"));
    expect(rebuild).toBeGreaterThan(0);
    const older = file.replace("nested/", "");
    const old = new Database(older);
    for (const m of MIGRATIONS.slice(0, rebuild)) old.exec(m.sql);
    old.pragma(`user_version = ${MIGRATIONS[rebuild - 1]!.version}`);
    old.prepare("INSERT INTO books (path, kind, library_root, fingerprint, created_at, updated_at, scanned_at) VALUES ('/lib/b', 'folder', '/lib', 'fp', 't', 't', 't')").run();
    old.prepare("INSERT INTO move_batches (kind, started_at) VALUES ('apply', 't'), ('undo', 't')").run();
    const insert = old.prepare(
      `INSERT INTO moves (batch_id, kind, book_id, book_from, book_to, kind_from, kind_to, root_from, root_to, from_path, to_path, fingerprint, state, undoes, started_at, finished_at)
       VALUES (?, ?, 1, ?, ?, 'folder', 'folder', '/lib', '/lib', ?, ?, 'fp', 'done', ?, 't', 't')`,
    );
    insert.run(1, "apply", "/lib/a", "/lib/b", "/lib/a", "/lib/b", null);
    insert.run(2, "undo", "/lib/b", "/lib/a", "/lib/b", "/lib/a", 1);
    old.prepare("UPDATE moves SET undone_by = 2 WHERE id = 1").run();
    old.prepare(
      `INSERT INTO moves (batch_id, kind, book_id, book_from, book_to, kind_from, kind_to, root_from, root_to, from_path, to_path, fingerprint, state, started_at)
       VALUES (1, 'apply', 1, '/lib/b', '/other/c', 'folder', 'folder', '/lib', '/other', '/lib/b', '/other/c', 'fp', 'intent', 't')`,
    ).run();
    const before = old.prepare("SELECT * FROM moves ORDER BY id").all();
    old.close();
    const db = openDatabase(older);
    try {
      expect(schemaVersion(db)).toBe(LATEST);
      expect(db.prepare("SELECT * FROM moves ORDER BY id").all()).toEqual(withLaterMoveColumns(before));
      expect(db.pragma("foreign_key_check")).toEqual([]);
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
      const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'moves' ORDER BY name").all();
      expect(indexes).toEqual([{ name: "moves_book" }, { name: "moves_open" }]);
      // The links still point at the journal itself (a row may not name a move that does not exist).
      expect(() => db.prepare("UPDATE moves SET undoes = 99 WHERE id = 3").run()).toThrow(/FOREIGN KEY/);
      const schema = (db.prepare("SELECT sql FROM sqlite_master WHERE name = 'moves'").get() as { sql: string }).sql;
      expect(schema).toMatch(/REFERENCES "?moves"? \(id\)/);
      expect(schema).not.toContain("moves_v11");
    } finally {
      db.close();
    }
  });

  it("adds the companions column to the move journal: every row kept as it was, with none (what old rows meant)", () => {
    const added = MIGRATIONS.findIndex((m) => m.sql.includes("ADD COLUMN companions"));
    expect(added).toBeGreaterThan(0);
    const older = file.replace("nested/", "");
    const old = new Database(older);
    for (const m of MIGRATIONS.slice(0, added)) old.exec(m.sql);
    old.pragma(`user_version = ${MIGRATIONS[added - 1]!.version}`);
    old.prepare("INSERT INTO move_batches (kind, started_at) VALUES ('apply', 't')").run();
    const insert = old.prepare(
      `INSERT INTO moves (batch_id, kind, book_id, book_from, book_to, kind_from, kind_to, root_from, from_path, to_path, fingerprint, state, started_at)
       VALUES (1, 'apply', ?, NULL, ?, 'file', 'folder', '/lib', ?, ?, 'fp', ?, 't')`,
    );
    insert.run(1, "/lib/A/T", "/lib/in/T.m4b", "/lib/A/T/T.m4b", "done");
    insert.run(2, "/lib/A/U", "/lib/in/U.m4b", "/lib/A/U/U.m4b", "intent");
    const before = old.prepare("SELECT * FROM moves ORDER BY id").all();
    old.close();
    const db = openDatabase(older);
    try {
      expect(schemaVersion(db)).toBe(LATEST);
      expect(db.prepare("SELECT * FROM moves ORDER BY id").all()).toEqual(withLaterMoveColumns(before));
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    } finally {
      db.close();
    }
  });

  it("moves every book's evidence out of its row (migration 26): every book, evidence, run and move read as before; a move no longer rewrites it", () => {
    const split = MIGRATIONS.findIndex((m) => m.sql.includes("CREATE TABLE book_profiles"));
    expect(split).toBeGreaterThan(0);
    const older = file.replace("nested/", "");
    createDatabaseAtVersion(older, MIGRATIONS[split - 1]!.version);
    const old = new Database(older);
    registerFold(old);
    const insert = old.prepare(
      `INSERT INTO books (path, kind, library_root, status, author, title, confidence, profile, fingerprint, files, locked, created_at, updated_at, scanned_at)
       VALUES (?, 'folder', '/lib', ?, ?, 'T', ?, ?, ?, ?, ?, 't', 't', 't')`,
    );
    // Evidence with quotes, emoji and a NUL-free but hostile key; a book never identified ('{}'); a locked one.
    const evidence = (i: number) => JSON.stringify({ evidence: { author: [{ source: i % 2 ? "user" : "tags", value: `A "${i}" 📚`, confidence: 0.9 }] } });
    for (let i = 0; i < 30; i++) {
      insert.run(`/lib/b${i}`, i % 5 ? "identified" : "missing", `A ${i}`, i, i % 3 ? evidence(i) : "{}", `fp${i}`, `[{"path":"/lib/b${i}/01.mp3","size":${i}}]`, i === 7 ? 1 : 0);
    }
    old.prepare("UPDATE books SET row_version = id * 2").run();
    old.prepare("INSERT INTO layer_runs (book_id, layer_id, status, ran_at) VALUES (2, 'path', 'ok', 't'), (4, 'tags', 'error', 't')").run();
    old.prepare("INSERT INTO move_batches (kind, started_at) VALUES ('apply', 't'), ('undo', 't')").run();
    old.prepare(
      `INSERT INTO moves (batch_id, kind, book_id, book_from, book_to, kind_from, kind_to, root_from, from_path, to_path, fingerprint, state, undoes, started_at, finished_at)
       VALUES (1, 'apply', 2, NULL, NULL, 'folder', 'folder', '/lib', '/in/b1', '/lib/b1', 'fp1', 'done', NULL, 't', 't'),
              (2, 'undo', 2, NULL, NULL, 'folder', 'folder', '/lib', '/lib/b1', '/in/b1', 'fp1', 'done', 1, 't', 't')`,
    ).run();
    old.prepare("UPDATE moves SET undone_by = 2 WHERE id = 1").run();
    const before = {
      books: old.prepare("SELECT * FROM books ORDER BY id").all() as { id: number; profile: string }[],
      runs: old.prepare("SELECT * FROM layer_runs ORDER BY book_id").all(),
      moves: old.prepare("SELECT * FROM moves ORDER BY id").all(),
    };
    old.close();

    const db = openDatabase(older);
    try {
      expect(schemaVersion(db)).toBe(LATEST);
      const columns = (db.prepare("SELECT name FROM pragma_table_info('books')").all() as { name: string }[]).map((c) => c.name);
      expect(columns).not.toContain("profile");
      // Every store read gives each book as it was, its evidence included, row versions kept.
      expect(listBooks(db).sort((a, b) => a.id - b.id)).toEqual(before.books.map((b) => expect.objectContaining(b)));
      for (const b of before.books) {
        expect(getBook(db, b.id)).toEqual(expect.objectContaining(b));
        expect(bookProfile(db, b.id)).toBe(b.profile);
      }
      expect(db.prepare("SELECT count(*) AS n FROM book_profiles").get()).toEqual({ n: 20 });
      expect(db.prepare("SELECT * FROM layer_runs ORDER BY book_id").all()).toEqual(before.runs);
      expect(db.prepare("SELECT * FROM moves ORDER BY id").all()).toEqual(before.moves);
      expect(db.pragma("foreign_key_check")).toEqual([]);
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");

      // A move rewrites the row, not the evidence; its row version still moves on.
      const moved = before.books[1]!;
      db.prepare("UPDATE books SET path = '/lib/elsewhere' WHERE id = ?").run(moved.id);
      expect(getBook(db, moved.id)).toEqual(expect.objectContaining({ path: "/lib/elsewhere", profile: moved.profile, row_version: moved.id * 2 + 1 }));
      // A write of the evidence is a new row version, as before.
      const fields = { author: "B", title: "T", narrator: null, series: null, series_num: null, year: null, language: null };
      expect(writeBookJudgement(db, moved.id, { profile: '{"evidence":{}}', confidence: 1, fields })).toBe(true);
      expect(getBook(db, moved.id)).toEqual(expect.objectContaining({ profile: '{"evidence":{}}', row_version: moved.id * 2 + 2 }));
      // A book deleted takes its evidence along: an id used again starts from none.
      db.prepare("DELETE FROM books WHERE id = ?").run(moved.id);
      expect(db.prepare("SELECT count(*) AS n FROM book_profiles WHERE book_id = ?").get(moved.id)).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  it("tells undo's lock from the user's in a database written before (migration 27): locked 2 only where the book's last done move is an undo", () => {
    const older = file.replace("nested/", "");
    createDatabaseAtVersion(older, 26);
    const old = new Database(older);
    registerFold(old);
    const insert = old.prepare(
      `INSERT INTO books (id, path, kind, library_root, status, author, title, fingerprint, locked, created_at, updated_at, scanned_at)
       VALUES (?, ?, 'folder', '/lib', 'identified', 'A', 'T', 'fp', ?, 't', 't', 't')`,
    );
    // 1 undone (undo's old lock); 2 moved by apply (locked by the user since); 3 never moved; 4 undone, then unlocked;
    // 5 undone, a later apply of it failed (no move: still undo's lock); 6 undone, unlocked, applied again and locked.
    for (const [id, locked] of [[1, 1], [2, 1], [3, 1], [4, 0], [5, 1], [6, 1]]) insert.run(id, `/in/b${id}`, locked);
    old.prepare("INSERT INTO move_batches (kind, started_at) VALUES ('apply', 't'), ('undo', 't'), ('apply', 't')").run();
    const move = old.prepare(
      `INSERT INTO moves (batch_id, kind, book_id, kind_from, kind_to, root_from, from_path, to_path, fingerprint, state, undoes, started_at, finished_at)
       VALUES (?, ?, ?, 'folder', 'folder', '/lib', ?, ?, 'fp', ?, ?, 't', 't')`,
    );
    const history: [number, "apply" | "undo", number, string][] = [
      [1, "apply", 1, "done"], [2, "undo", 1, "done"],
      [1, "apply", 2, "done"],
      [1, "apply", 4, "done"], [2, "undo", 4, "done"],
      [1, "apply", 5, "done"], [2, "undo", 5, "done"], [3, "apply", 5, "failed"],
      [1, "apply", 6, "done"], [2, "undo", 6, "done"], [3, "apply", 6, "done"],
    ];
    let id = 0;
    const applied = new Map<number, number>();
    for (const [batch, kind, book, state] of history) {
      id++;
      move.run(batch, kind, book, kind === "undo" ? `/lib/b${book}` : `/in/b${book}`, kind === "undo" ? `/in/b${book}` : `/lib/b${book}`, state, kind === "undo" ? applied.get(book)! : null);
      if (kind === "apply") applied.set(book, id);
    }
    const movesBefore = old.prepare("SELECT * FROM moves ORDER BY id").all();
    old.close();

    const db = openDatabase(older);
    try {
      expect(schemaVersion(db)).toBe(LATEST);
      expect(db.prepare("SELECT id, locked FROM books ORDER BY id").all()).toEqual([
        { id: 1, locked: 2 },
        { id: 2, locked: 1 },
        { id: 3, locked: 1 },
        { id: 4, locked: 0 },
        { id: 5, locked: 2 },
        { id: 6, locked: 1 },
      ]);
      expect(db.prepare("SELECT * FROM moves ORDER BY id").all()).toEqual(movesBefore);
    } finally {
      db.close();
    }
  });

  it("reopening an up-to-date database changes nothing", () => {
    const first = openDatabase(file);
    first.prepare(
      `INSERT INTO books (path, kind, library_root, fingerprint, created_at, updated_at, scanned_at)
       VALUES ('/lib/a', 'folder', '/lib', 'fp', 't', 't', 't')`,
    ).run();
    const schemaBefore = first.prepare("SELECT sql FROM sqlite_master ORDER BY name").all();
    first.close();
    const again = openDatabase(file);
    try {
      expect(schemaVersion(again)).toBe(LATEST);
      expect(again.prepare("SELECT sql FROM sqlite_master ORDER BY name").all()).toEqual(schemaBefore);
      expect(again.prepare("SELECT count(*) AS n FROM books").get()).toEqual({ n: 1 });
    } finally {
      again.close();
    }
  });

  it("turns WAL on, so readers are not blocked while `process` writes", () => {
    const db = openDatabase(file);
    try {
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
    } finally {
      db.close();
    }
    // WAL is persistent: a plain connection sees it too.
    const plain = new Database(file, { readonly: true });
    expect(plain.pragma("journal_mode", { simple: true })).toBe("wal");
    plain.close();
  });

  it("refuses a database from a newer shelfwise with a clear error and leaves it byte-identical", () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const newer = new Database(file);
    newer.exec("CREATE TABLE future_things (id INTEGER PRIMARY KEY, what TEXT)");
    newer.prepare("INSERT INTO future_things (what) VALUES ('kept')").run();
    newer.pragma(`user_version = ${LATEST + 7}`);
    newer.close();
    const before = fs.readFileSync(file);
    const entriesBefore = fs.readdirSync(path.dirname(file)).sort();

    let error: unknown;
    try {
      openDatabase(file).close();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(new RegExp(`version ${LATEST + 7}.*newer.*upgrade shelfwise`));
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.readdirSync(path.dirname(file)).sort()).toEqual(entriesBefore);
  });

  it("reports a file that is not a database as a StoreError naming the file", () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, "this is not sqlite, just some text that is long enough to have a header".repeat(20));
    expect(() => openDatabase(file)).toThrow(StoreError);
    expect(() => openDatabase(file)).toThrow(file);
  });
});

describe("busyTimeoutMs (SHELFWISE_BUSY_TIMEOUT_MS)", () => {
  it("is the busy timeout of the database a command opens", () => {
    const before = process.env.SHELFWISE_BUSY_TIMEOUT_MS;
    // Set and restored with nothing awaited in between: no other test of this worker sees it.
    process.env.SHELFWISE_BUSY_TIMEOUT_MS = "300";
    let db: ReturnType<typeof openDatabase>;
    try {
      db = openDatabase(file);
    } finally {
      if (before === undefined) delete process.env.SHELFWISE_BUSY_TIMEOUT_MS;
      else process.env.SHELFWISE_BUSY_TIMEOUT_MS = before;
    }
    try {
      expect(db.pragma("busy_timeout", { simple: true })).toBe(300);
    } finally {
      db.close();
    }
    const plain = openDatabase(file);
    try {
      expect(plain.pragma("busy_timeout", { simple: true })).toBe(DEFAULT_BUSY_TIMEOUT_MS);
    } finally {
      plain.close();
    }
  });

  it("takes whole milliseconds up to an hour, 0 included; anything else is the default 5 s", () => {
    expect(busyTimeoutMs({})).toBe(DEFAULT_BUSY_TIMEOUT_MS);
    expect(DEFAULT_BUSY_TIMEOUT_MS).toBe(5_000);
    expect(busyTimeoutMs({ SHELFWISE_BUSY_TIMEOUT_MS: "300" })).toBe(300);
    expect(busyTimeoutMs({ SHELFWISE_BUSY_TIMEOUT_MS: " 0 " })).toBe(0);
    expect(busyTimeoutMs({ SHELFWISE_BUSY_TIMEOUT_MS: "9999999" })).toBe(3_600_000);
    for (const bad of ["", " ", "-1", "1.5", "5s", "1e3", "0x10", "Infinity", "300; DROP TABLE books", "１２"]) {
      expect(busyTimeoutMs({ SHELFWISE_BUSY_TIMEOUT_MS: bad }), bad).toBe(DEFAULT_BUSY_TIMEOUT_MS);
    }
  });
});
