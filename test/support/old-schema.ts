/**
 * A database as an older shelfwise left it, for tests of what a newer one does on opening it. Made by the real
 * migrations 1..version (src/store/migrations.ts), not by hand: DROPs of what came after an old version had to
 * name every table and column each later migration added, so every new migration broke the tests that made one.
 */
import fs from "node:fs";
import { registerFold } from "../../src/store/book-queries.js";
import { MIGRATIONS } from "../../src/store/migrations.js";
import { openSqlite } from "../../src/store/sqlite.js";

/** A new database file at `version`, made by the migrations up to it and nothing else (no rows). */
export function createDatabaseAtVersion(file: string, version: number): void {
  if (!MIGRATIONS.some((m) => m.version === version)) throw new Error(`no migration has version ${version}`);
  const db = openSqlite(file);
  try {
    // As openDatabase does before migrating: indexes (migration 15's) are built on this SQL function.
    registerFold(db);
    db.exec("BEGIN");
    for (const migration of MIGRATIONS) {
      if (migration.version > version) break;
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }
    db.exec("COMMIT");
  } finally {
    db.close();
  }
}

/**
 * Rewrites `file` (a database at any later version, closed) as it would be at `version`: a database made by the
 * migrations up to `version` holding `file`'s rows, each table's columns that version has; tables and columns of
 * later migrations are left behind. The old version's triggers do not fire on the copy (the rows are copied as
 * they are, search queue and index included) and are there afterwards.
 */
export function rewriteAtVersion(file: string, version: number): void {
  const old = `${file}.v${version}`;
  fs.rmSync(old, { force: true });
  createDatabaseAtVersion(old, version);
  const db = openSqlite(old);
  try {
    registerFold(db);
    db.pragma("foreign_keys = OFF");
    db.prepare("ATTACH DATABASE ? AS source").run(file);
    db.exec("BEGIN");
    const triggers = db.prepare("SELECT name, sql FROM main.sqlite_master WHERE type = 'trigger'").all() as { name: string; sql: string }[];
    for (const trigger of triggers) db.exec(`DROP TRIGGER main.${quote(trigger.name)}`);
    // A virtual table's own storage (fts5's books_search_data, _idx, ...: type `shadow`) is written by copying into the virtual table.
    const tables = db.prepare("SELECT name, type FROM pragma_table_list WHERE schema = 'main' AND type IN ('table', 'virtual') AND name NOT LIKE 'sqlite_%'").all() as { name: string; type: string }[];
    for (const { name, type } of tables) {
      const inSource = db.prepare("SELECT count(*) FROM source.sqlite_master WHERE type = 'table' AND name = ?").pluck().get(name) as number;
      if (!inSource) continue;
      const oldColumns = columnsOf(db, "main", name);
      const sourceColumns = new Set(columnsOf(db, "source", name));
      const shared = oldColumns.filter((c) => sourceColumns.has(c));
      // Virtual tables hide their rowid from table_info; fts5's keeps each row's id (the book's) there.
      const keys = type === "virtual" ? ["rowid", ...shared] : shared;
      const list = keys.map(quote).join(", ");
      db.exec(`INSERT INTO main.${quote(name)} (${list}) SELECT ${list} FROM source.${quote(name)}`);
    }
    // Columns a later migration moved into a table of their own go back into the old version's column.
    for (const moved of MOVED_OUT) {
      const hasColumn = columnsOf(db, "main", moved.table).includes(moved.column);
      const inSource = db.prepare("SELECT count(*) FROM source.sqlite_master WHERE type = 'table' AND name = ?").pluck().get(moved.from) as number;
      if (hasColumn && inSource) db.exec(moved.sql);
    }
    for (const trigger of triggers) db.exec(trigger.sql);
    db.exec("COMMIT");
    db.exec("DETACH DATABASE source");
  } finally {
    db.close();
  }
  for (const suffix of ["-wal", "-shm"]) fs.rmSync(`${file}${suffix}`, { force: true });
  fs.renameSync(old, file);
}

/** Migration 26 moved `books.profile` into book_profiles (no row: '{}'). */
const MOVED_OUT = [
  {
    table: "books",
    column: "profile",
    from: "book_profiles",
    sql: "UPDATE main.books SET profile = p.profile FROM source.book_profiles p WHERE p.book_id = books.id",
  },
];

function columnsOf(db: ReturnType<typeof openSqlite>, schema: string, table: string): string[] {
  return (db.prepare(`PRAGMA ${schema}.table_info(${quote(table)})`).all() as { name: string }[]).map((c) => c.name);
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
