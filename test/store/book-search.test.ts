/**
 * The books list's text search: every sort in both directions, deep pages and
 * pages past the end give the rows and total a plain reading of the table
 * gives, and the search itself runs once per page (it ran once for the rows
 * and again for the count: a broad search at a deep page paid twice).
 */
import { expect, it } from "vitest";
import type { Db } from "../../src/store/database.js";
import { BOOK_SORTS, queryBooks, syncBookSearch, type BookListQuery } from "../../src/store/book-queries.js";
import { useTempDatabase } from "../support/db.js";

let db: Db;
useTempDatabase("book-search", (opened) => (db = opened));

const BOOKS = 240;

function seed(): void {
  const insert = db.prepare(
    `INSERT INTO books (path, kind, library_root, status, author, title, narrator, series, series_num, year, language, confidence, fingerprint, files, created_at, updated_at, scanned_at)
     VALUES (?, 'folder', '/library', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', 'now', 'now', 'now')`,
  );
  const statuses = ["identified", "needs_attention", "pending"];
  db.transaction(() => {
    for (let i = 0; i < BOOKS; i++) {
      // Ties on every sort column (the id decides), nulls, and case differences.
      const author = i % 5 === 0 ? null : `${i % 2 ? "author" : "Author"} ${i % 17}`;
      const series = i % 3 === 0 ? `Series ${i % 7}` : null;
      insert.run(`/library/${author ?? "Unknown"}/Book ${i}`, statuses[i % 3], author, `Title ${i % 40}`, i % 4 ? `Narrator ${i % 9}` : null, series, series ? String(i % 4) : null, i % 6 ? String(1990 + (i % 11)) : null, i % 2 ? "en" : null, (i * 37) % 101, String(i));
    }
    db.prepare("INSERT INTO layer_runs (book_id, layer_id, status, ran_at, error) VALUES (7, 'path', 'error', 'now', 'x')").run();
  })();
}

/** Every statement the store prepares while `work` runs. */
function statements<T>(work: () => T): { result: T; sql: string[] } {
  const sql: string[] = [];
  const prepare = db.prepare.bind(db);
  db.prepare = ((text: string) => (sql.push(text), prepare(text))) as typeof db.prepare;
  try {
    return { result: work(), sql };
  } finally {
    db.prepare = prepare;
  }
}

it("a search is run once per page, whatever the sort and however deep the page", () => {
  seed();
  // Shapes not asked before in this database (its statements are kept prepared): each is prepared here.
  for (const [sort, descending] of [["author", true], ["series", false], ["path", false]] as const) {
    const { result, sql } = statements(() => queryBooks(db, { text: "Book", sort, descending, offset: 150, limit: 50 }));
    expect(result.total).toBe(BOOKS);
    expect(result.rows).toHaveLength(50);
    const searching = sql.filter((s) => s.includes("MATCH"));
    expect(searching, `${sort}: ${searching.join("\n---\n")}`).toHaveLength(1);
  }
});

it("search pages agree with the plain query for every sort, both directions, deep pages and past the end", () => {
  seed();
  const plain = (query: BookListQuery) => {
    // The same filters without a search: the reference order and count.
    const all = queryBooks(db, { ...query, text: undefined, offset: 0, limit: 500 }).rows;
    const word = query.text!.toLowerCase();
    return all.filter((row) => [row.path.slice("/library/".length), row.author, row.title, row.series, row.narrator].some((v) => v?.toLowerCase().includes(word)));
  };
  // Read through the queue of changed books (a search never folds it: a read must not write), then from the index.
  for (const folded of [false, true]) {
    if (folded) expect(syncBookSearch(db)).toBe(BOOKS);
    for (const sort of BOOK_SORTS) {
      for (const descending of [false, true]) {
        for (const text of ["itle 1", "or 3", "1"]) {
          const base: BookListQuery = { text, sort, descending, statuses: sort === "status" ? undefined : ["identified"] };
          const expected = plain(base);
          for (const offset of [0, 7, Math.max(0, expected.length - 3), expected.length + 10]) {
            const page = queryBooks(db, { ...base, offset, limit: 10 });
            const label = JSON.stringify({ folded, text, sort, descending, offset });
            expect(page.total, label).toBe(expected.length);
            expect(page.rows.map((r) => r.id), label).toEqual(expected.slice(offset, offset + 10).map((r) => r.id));
          }
        }
      }
    }
  }
  // Every column of a row as the plain list gives it (layer_errors included).
  const [searched] = queryBooks(db, { text: "Book 6", sort: "id", limit: 1 }).rows;
  const [listed] = queryBooks(db, { sort: "id", offset: 6, limit: 1 }).rows;
  expect(searched).toEqual(listed);
  expect(searched!.layer_errors).toBe(1);
});

it("a search finds the same books whether they are indexed or still queued: full case folding, NFC/NFD, accents", () => {
  const names = [
    "Émile Zola", // precomposed
    "E\u0301douard Manet", // decomposed, as macOS names files
    "Straße der Sieger",
    "STRASSE DES TODES",
    "İstanbul Hatırası",
    "ΣΟΦΙΑ ΤΟΥ ΚΟΣΜΟΥ",
    "Charlotte Brontë",
    "Bjørn Æsir",
  ];
  const insert = db.prepare(
    `INSERT INTO books (path, kind, library_root, status, author, title, confidence, fingerprint, files, created_at, updated_at, scanned_at)
     VALUES (?, 'folder', '/library', 'identified', ?, ?, 50, ?, '[]', 'now', 'now', 'now')`,
  );
  names.forEach((name, i) => insert.run(`/library/book-${i}`, name, `Title ${i}`, String(i)));
  const queries: [string, string[]][] = [
    ["émile", ["Émile Zola"]],
    ["ÉMILE", ["Émile Zola"]],
    ["emile", ["Émile Zola"]],
    ["e\u0301mile", ["Émile Zola"]],
    ["édouard", ["E\u0301douard Manet"]],
    ["straße", ["Straße der Sieger", "STRASSE DES TODES"]],
    ["strasse", ["Straße der Sieger", "STRASSE DES TODES"]],
    ["istanbul", ["İstanbul Hatırası"]],
    ["İSTANBUL", ["İstanbul Hatırası"]],
    ["hatirasi", ["İstanbul Hatırası"]],
    ["σοφια", ["ΣΟΦΙΑ ΤΟΥ ΚΟΣΜΟΥ"]],
    ["κόσμου", ["ΣΟΦΙΑ ΤΟΥ ΚΟΣΜΟΥ"]],
    ["bronte", ["Charlotte Brontë"]],
    ["bjorn", ["Bjørn Æsir"]],
    ["aesir", ["Bjørn Æsir"]],
    // Short (no trigram): the same folding.
    ["ß", ["Straße der Sieger", "STRASSE DES TODES"]],
    ["σο", ["ΣΟΦΙΑ ΤΟΥ ΚΟΣΜΟΥ"]],
    ["E\u0301D", ["E\u0301douard Manet"]],
  ];
  const found = (text: string) =>
    queryBooks(db, { text, sort: "id", limit: 500 })
      .rows.filter((row) => !/^Title/.test(row.author ?? ""))
      .map((row) => row.author)
      .sort();
  const expected = (authors: string[]) => [...authors].sort();
  const queued = Object.fromEntries(queries.map(([text]) => [text, found(text)]));
  syncBookSearch(db);
  expect((db.prepare("SELECT count(*) AS n FROM books_search_queue").get() as { n: number }).n).toBe(0);
  for (const [text, authors] of queries) {
    expect({ text, queued: queued[text] }).toEqual({ text, queued: expected(authors) });
    expect({ text, indexed: found(text) }).toEqual({ text, indexed: expected(authors) });
  }
});
