/**
 * The books list's author and series filters compare as the search does (domain/search-fold.ts): case fully
 * folded, NFC and NFD alike, Latin, Greek and Cyrillic accents ignored; in the web app's query and the CLI's
 * list alike, through an index (a 50,000-book library is filtered by lookup, not by folding every row).
 */
import { expect, it } from "vitest";
import type { Db } from "../../src/store/database.js";
import { queryBooks } from "../../src/store/book-queries.js";
import { listBooks } from "../../src/store/books.js";
import { useTempDatabase } from "../support/db.js";

let db: Db;
useTempDatabase("folded-filters", (opened) => (db = opened));

const BOOKS: [author: string | null, series: string | null][] = [
  ["Émile Zola", "Les Rougon-Macquart"],
  ["E\u0301mile Zola", null], // decomposed, as macOS names files
  ["Лев Толстой", "Война и мир"],
  ["Σοφοκλής", null],
  ["Emily Zola", null],
  [null, "Les Rougon-Macquart"],
  ["Straße Autor", "Ærø Saga"],
];

function seed(): void {
  const insert = db.prepare(
    `INSERT INTO books (path, kind, library_root, status, author, series, confidence, fingerprint, files, created_at, updated_at, scanned_at)
     VALUES (?, 'folder', '/library', 'identified', ?, ?, 50, ?, '[]', 'now', 'now', 'now')`,
  );
  BOOKS.forEach(([author, series], i) => insert.run(`/library/book ${i}`, author, series, String(i)));
}

const ids = (rows: { id: number }[]) => rows.map((row) => row.id).sort((a, b) => a - b);

it.each([
  ["émile zola", [1, 2]],
  ["ÉMILE ZOLA", [1, 2]],
  ["Emile Zola", [1, 2]],
  ["E\u0301MILE ZOLA", [1, 2]],
  ["  emile zola ", [1, 2]],
  ["лев толстой", [3]],
  ["ЛЕВ ТОЛСТОЙ", [3]],
  ["ΣΟΦΟΚΛΗΣ", [4]],
  ["σοφοκλης", [4]],
  ["strasse autor", [7]],
  ["Zola", []],
])("author %j finds books %j in the web app's list and the CLI's", (author, expected) => {
  seed();
  expect(ids(queryBooks(db, { author }).rows)).toEqual(expected);
  expect(queryBooks(db, { author }).total).toBe(expected.length);
  expect(ids(listBooks(db, { author }))).toEqual(expected);
});

it("filters by series the same way, with the status and the author", () => {
  seed();
  expect(ids(queryBooks(db, { series: "les rougon-macquart" }).rows)).toEqual([1, 6]);
  expect(ids(queryBooks(db, { series: "AERO saga" }).rows)).toEqual([7]);
  expect(ids(queryBooks(db, { series: "война И МИР" }).rows)).toEqual([3]);
  expect(ids(listBooks(db, { series: "LES ROUGON-MACQUART", author: "emile zola" }))).toEqual([1]);
  expect(ids(listBooks(db, { series: "LES ROUGON-MACQUART", statuses: ["pending"] }))).toEqual([]);
});

it("keeps the folded keys in step with corrections and looks them up through the indexes", () => {
  seed();
  db.prepare("UPDATE books SET author = 'Ёжик Туманный' WHERE id = 5").run();
  expect(ids(queryBooks(db, { author: "ежик туманныи" }).rows)).toEqual([5]);
  for (const [column, index] of [["author", "books_by_author_fold"], ["series", "books_by_series_fold"]]) {
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT id FROM books b WHERE shelfwise_fold(b.${column}) = ?`)
      .all("x") as { detail: string }[];
    expect(plan.map((step) => step.detail).join("\n")).toContain(`INDEX ${index} (<expr>=?)`);
  }
});
