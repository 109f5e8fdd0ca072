/**
 * The books list as the web app pages through it: filters, text search and a
 * sort on any shown column, each answered from an index (migration 4), so a
 * page costs the same at 100 books as at 100,000.
 */
import type { Db } from "./database.js";
import { statement } from "./statement-cache.js";
import { searchFold } from "../domain/search-fold.js";

export const BOOK_SORTS = ["path", "status", "confidence", "author", "title", "series", "narrator", "year", "language", "id"] as const;
export type BookSort = (typeof BOOK_SORTS)[number];

export interface BookListQuery {
  /** Substring of path, author, title, series or narrator (case-insensitive). */
  text?: string;
  /** Any of these statuses. */
  statuses?: readonly string[];
  /** Exact author / series (case-insensitive). */
  author?: string;
  series?: string;
  minConfidence?: number;
  maxConfidence?: number;
  /** Only books with (true) or without (false) a layer error. */
  layerErrors?: boolean;
  /** Only these books (what the disk check found, for the Books page's `problem` filter). */
  ids?: readonly number[];
  sort?: BookSort;
  descending?: boolean;
  offset?: number;
  limit?: number;
}

export interface BookListRow {
  id: number;
  path: string;
  status: string;
  confidence: number;
  author: string | null;
  title: string | null;
  series: string | null;
  series_num: string | null;
  narrator: string | null;
  year: string | null;
  language: string | null;
  proposed_path: string | null;
  locked: number;
  updated_at: string;
  layer_errors: number;
}

export interface BookListPage {
  total: number;
  rows: BookListRow[];
}

/** ORDER BY per sort, matching the expressions of the migration's indexes so SQLite walks them. */
const ORDER: Record<BookSort, (dir: string) => string> = {
  path: (d) => `b.path ${d}`,
  status: (d) => `b.status ${d}, b.id ${d}`,
  confidence: (d) => `b.confidence ${d}, b.id ${d}`,
  author: (d) => `(b.author IS NULL) ${d}, b.author COLLATE NOCASE ${d}, b.id ${d}`,
  title: (d) => `(b.title IS NULL) ${d}, b.title COLLATE NOCASE ${d}, b.id ${d}`,
  series: (d) => `(b.series IS NULL) ${d}, b.series COLLATE NOCASE ${d}, b.series_num ${d}, b.id ${d}`,
  narrator: (d) => `(b.narrator IS NULL) ${d}, b.narrator COLLATE NOCASE ${d}, b.id ${d}`,
  year: (d) => `(b.year IS NULL) ${d}, b.year ${d}, b.id ${d}`,
  language: (d) => `(b.language IS NULL) ${d}, b.language COLLATE NOCASE ${d}, b.id ${d}`,
  id: (d) => `b.id ${d}`,
};

const COLUMNS = `b.id, b.path, b.status, b.confidence, b.author, b.title, b.series, b.series_num, b.narrator, b.year,
  b.language, b.proposed_path, b.locked, b.updated_at,
  EXISTS (SELECT 1 FROM layer_runs r WHERE r.book_id = b.id AND r.status = 'error') AS layer_errors`;

/**
 * The part of a book's path a search looks at: below its library root. The
 * root's own folders (/mnt/disk3/audiobooks) are the same for every book, so a
 * query matching them would match the whole library.
 */
const PATH_BELOW_ROOT = `CASE
  WHEN substr(b.path, 1, length(b.library_root) + 1) = b.library_root || '/' THEN substr(b.path, length(b.library_root) + 2)
  WHEN b.library_root = '/' THEN substr(b.path, 2)
  ELSE b.path END`;

/**
 * What the trigram index holds of a book (and a queued book is searched in), one field a line, folded
 * (domain/search-fold.ts) as the query is. The index's own folding (simple case folding per code point,
 * no normalization) and LIKE's (ASCII only) then change nothing, so a book is found by the same words
 * whether it is indexed or still queued.
 */
const SEARCH_TEXT = `shelfwise_fold(concat_ws(char(10), ${PATH_BELOW_ROOT}, b.author, b.title, b.series, b.narrator))`;

const withFold = new WeakSet<Db>();

/**
 * The fold as an SQL function, on whichever connection searches or indexes (a raw read-only handle too).
 * Every connection that writes books needs it (openDatabase registers it): the author and series
 * indexes are built on it (migration 15).
 */
export function registerFold(db: Db): void {
  if (withFold.has(db)) return;
  db.function("shelfwise_fold", { deterministic: true }, (text: unknown) => (typeof text === "string" ? searchFold(text) : text));
  withFold.add(db);
}

/**
 * An exact author or series filter, compared as the search compares (full case folding, NFC/NFD, Latin, Greek
 * and Cyrillic accents ignored): `émile zola`, `EMILE ZOLA` and a decomposed `Émile Zola` find the same books.
 * Written as the expression the indexes hold (migration 15), so the lookup is an index's. The CLI's `books`
 * uses the same pair (store/books.ts listBooks).
 */
export const FOLDED_EQUALS = {
  author: "shelfwise_fold(b.author) = ?",
  series: "shelfwise_fold(b.series) = ?",
} as const;

/** The value a folded filter looks up: trimmed (stored names are) and folded as the indexes' keys are. */
export function foldedFilter(value: string): string {
  return searchFold(value.trim());
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Folds the queue of books whose shown text changed into the trigram index, in
 * one transaction (one index segment, not one per pipeline batch). Returns how
 * many books it took. Called by writers only (at the end of a job, a
 * correction, a command's session, a migration that queues every book): a
 * search reads queued books without it.
 */
export function syncBookSearch(db: Db): number {
  registerFold(db);
  const pending = (db.prepare("SELECT count(*) AS n FROM books_search_queue").get() as { n: number }).n;
  if (pending === 0) return 0;
  db.transaction(() => {
    db.exec("DELETE FROM books_search WHERE rowid IN (SELECT book_id FROM books_search_queue)");
    db.exec(
      `INSERT INTO books_search (rowid, text)
       SELECT b.id, ${SEARCH_TEXT}
       FROM books_search_queue q JOIN books b ON b.id = q.book_id`,
    );
    db.exec("DELETE FROM books_search_queue");
  })();
  return pending;
}

export function queryBooks(db: Db, query: BookListQuery): BookListPage {
  const where: string[] = [];
  const params: unknown[] = [];
  registerFold(db);
  const typed = query.text?.trim();
  // Folded as the index is; a text that folds to nothing (marks alone) is looked for as typed.
  const text = typed ? searchFold(typed) || typed : typed;
  // No stored value holds a NUL, and LIKE and MATCH would read the text only up to it (`%00` matched every book).
  if ([text, query.author, query.series].some((value) => value?.includes("\0"))) where.push("0");
  const trigram = text !== undefined && [...text].length >= 3;
  if (text) {
    if (trigram) {
      // The trigram index (a phrase of the text, quotes doubled, matches any substring) for the books it holds
      // as they are; the few whose text changed since (still queued) are read as they are now. A read never
      // folds the queue: a GET must not write (a CLI writer may hold the database, the folder may be read-only).
      // The writers fold it (syncBookSearch) where the data changes.
      where.push(
        `b.id IN (SELECT rowid FROM books_search WHERE books_search MATCH ? AND rowid NOT IN (SELECT book_id FROM books_search_queue)
          UNION ALL SELECT b.id FROM books_search_queue q CROSS JOIN books b ON b.id = q.book_id WHERE ${SEARCH_TEXT} LIKE ? ESCAPE '\\')`,
      );
      params.push(`"${text.replaceAll('"', '""')}"`, likePattern(text));
    } else {
      // One or two characters, too short for trigrams: a scan of the index's (folded) text, and of the queued books.
      where.push(
        `b.id IN (SELECT rowid FROM books_search WHERE text LIKE ? ESCAPE '\\' AND rowid NOT IN (SELECT book_id FROM books_search_queue)
          UNION ALL SELECT b.id FROM books_search_queue q CROSS JOIN books b ON b.id = q.book_id WHERE ${SEARCH_TEXT} LIKE ? ESCAPE '\\')`,
      );
      params.push(likePattern(text), likePattern(text));
    }
  }
  if (query.statuses && query.statuses.length > 0) {
    where.push(`b.status IN (${query.statuses.map(() => "?").join(", ")})`);
    params.push(...query.statuses);
  }
  for (const [column, value] of [["author", query.author], ["series", query.series]] as const) {
    if (!value) continue;
    where.push(FOLDED_EQUALS[column]);
    params.push(foldedFilter(value));
  }
  if (query.minConfidence !== undefined) {
    where.push("b.confidence >= ?");
    params.push(query.minConfidence);
  }
  if (query.maxConfidence !== undefined) {
    where.push("b.confidence <= ?");
    params.push(query.maxConfidence);
  }
  if (query.layerErrors !== undefined) {
    where.push(`b.id ${query.layerErrors ? "" : "NOT "}IN (SELECT book_id FROM layer_runs WHERE status = 'error')`);
  }
  if (query.ids !== undefined) {
    // One bound JSON array, whatever its length: no statement per count, no limit on bound values.
    where.push("b.id IN (SELECT value FROM json_each(?))");
    params.push(JSON.stringify(query.ids));
  }
  const clause = where.length ? `WHERE ${where.join(" AND ")}` : "";
  const order = ORDER[query.sort ?? "path"](query.descending ? "DESC" : "ASC");
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 500);
  const offset = Math.max(query.offset ?? 0, 0);
  // Statements kept prepared (the page is asked for at every keystroke of a filter); their text is built from
  // fixed pieces only, the values bound, so there are as many as filter combinations and sorts.
  if (trigram) return searchPage(db, clause, params, query.sort ?? "path", order, limit, offset);
  // No search, or a LIKE scan (one or two characters): an index may walk the rows in the sort's order and stop
  // at the page, which beats gathering every match to sort it (measured: twice as fast sorted by author).
  const rows = statement(db, `SELECT ${COLUMNS} FROM books b ${clause} ORDER BY ${order} LIMIT ? OFFSET ?`).all(...params, limit, offset) as BookListRow[];
  const total = (statement(db, `SELECT count(*) AS n FROM books b ${clause}`).get(...params) as { n: number }).n;
  return { total, rows };
}

/** The columns a sort orders by, beside the id (which every order ends with). */
const SORT_COLUMNS: Record<BookSort, string> = {
  path: ", b.path",
  status: ", b.status",
  confidence: ", b.confidence",
  author: ", b.author",
  title: ", b.title",
  series: ", b.series, b.series_num",
  narrator: ", b.narrator",
  year: ", b.year",
  language: ", b.language",
  id: "",
};

/**
 * A page of a text search, in one statement: the search runs once (its hits
 * kept, with only the sort's columns), the count and the page are both taken
 * from them, and only the page's rows are read in full. A search sorts in a
 * temporary tree whatever the order (no index walks the hits in order), so a
 * deep page of a broad search ordered by another column sorted every hit with
 * all its columns, and searched again to count them.
 * One row carries the total even when the page is past the end (its book
 * columns are then null). CROSS JOIN keeps SQLite reading the page's ids and
 * looking each book up, not scanning every book to probe the page.
 */
function searchPage(db: Db, clause: string, params: unknown[], sort: BookSort, order: string, limit: number, offset: number): BookListPage {
  const rows = statement(
      db,
      `WITH hits AS MATERIALIZED (SELECT b.id${SORT_COLUMNS[sort]} FROM books b ${clause}),
       page AS (SELECT b.id FROM hits b ORDER BY ${order} LIMIT ? OFFSET ?)
       SELECT t.total, b.* FROM (SELECT count(*) AS total FROM hits) t
       LEFT JOIN (SELECT ${COLUMNS} FROM page CROSS JOIN books b ON b.id = page.id) b ON 1
       ORDER BY ${order}`,
    ).all(...params, limit, offset) as (BookListRow & { total: number })[];
  const total = rows[0]?.total ?? 0;
  return { total, rows: rows.filter((row) => row.id !== null).map(({ total: _total, ...row }) => row) };
}

/**
 * Locked books a plan of `statuses` at `minConfidence` leaves out (undo locks the books it moves back): how many,
 * and the first `shown` ids, so a plan with nothing to move can say which to unlock.
 */
export function lockedForPlan(db: Db, statuses: readonly string[], minConfidence: number, shown = 5): { count: number; ids: number[] } {
  const where = `locked != 0 AND status IN (${statuses.map(() => "?").join(",")}) AND confidence >= ?`;
  const count = (db.prepare(`SELECT count(*) AS n FROM books WHERE ${where}`).get(...statuses, minConfidence) as { n: number }).n;
  const ids = count === 0 ? [] : (db.prepare(`SELECT id FROM books WHERE ${where} ORDER BY id LIMIT ?`).all(...statuses, minConfidence, shown) as { id: number }[]).map((r) => r.id);
  return { count, ids };
}

/** Unlocked books that need attention: a default plan (identified books) leaves them out, and says how many. */
export function countAttentionUnlocked(db: Db): number {
  return (db.prepare("SELECT count(*) AS n FROM books WHERE status = 'needs_attention' AND locked = 0").get() as { n: number }).n;
}

/** Book counts per status (the dashboard's totals). */
export function countByStatus(db: Db): Record<string, number> {
  const rows = db.prepare("SELECT status, count(*) AS n FROM books GROUP BY status").all() as { status: string; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** The books recorded under the library folder `root` (its books, not those of a library folder inside it), per status. */
export function countByStatusUnder(db: Db, root: string): Record<string, number> {
  const rows = db.prepare("SELECT status, count(*) AS n FROM books WHERE library_root = ? GROUP BY status").all(root) as { status: string; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** Locked books, whatever their status (`status`'s count; a plan's is lockedForPlan). */
export function countLocked(db: Db): number {
  return (db.prepare("SELECT count(*) AS n FROM books WHERE locked != 0").get() as { n: number }).n;
}

/** Books with at least one layer error. */
export function countBooksWithErrors(db: Db): number {
  return (db.prepare("SELECT count(DISTINCT book_id) AS n FROM layer_runs WHERE status = 'error'").get() as { n: number }).n;
}

/** Per layer: books that passed it (ok / error / skipped). */
export function layerRunCounts(db: Db): { layer_id: string; ok: number; error: number; skipped: number }[] {
  return db
    .prepare(
      `SELECT layer_id, sum(status = 'ok') AS ok, sum(status = 'error') AS error, sum(status = 'skipped') AS skipped
       FROM layer_runs GROUP BY layer_id`,
    )
    .all() as { layer_id: string; ok: number; error: number; skipped: number }[];
}

/** Recent calls of one plugin, newest first, optionally of one outcome, before a call id (paging). */
export function pluginCallLog(
  db: Db,
  pluginId: string,
  options: { outcome?: string; beforeId?: number; limit: number },
): { id: number; book_id: number | null; at: string; outcome: string; duration_ms: number; resolved: number; error: string | null }[] {
  const where = ["plugin_id = ?"];
  const params: unknown[] = [pluginId];
  if (options.outcome) {
    where.push("outcome = ?");
    params.push(options.outcome);
  }
  if (options.beforeId !== undefined) {
    where.push("id < ?");
    params.push(options.beforeId);
  }
  return db
    .prepare(`SELECT id, book_id, at, outcome, duration_ms, resolved, error FROM plugin_calls WHERE ${where.join(" AND ")} ORDER BY id DESC LIMIT ?`)
    .all(...params, options.limit) as ReturnType<typeof pluginCallLog>;
}

/** Puts a book back to pending so the next run decides its final status again. */
export function setBookStatusPending(db: Db, id: number): void {
  db.prepare("UPDATE books SET status = 'pending', status_reason = NULL WHERE id = ? AND status != 'missing'").run(id);
}

/** Clears one book's runs (all layers, or the ones given) so the next run takes it again. */
export function clearBookRuns(db: Db, id: number, layerIds?: string[]): number {
  if (!layerIds || layerIds.length === 0) return db.prepare("DELETE FROM layer_runs WHERE book_id = ?").run(id).changes;
  const marks = layerIds.map(() => "?").join(", ");
  return db.prepare(`DELETE FROM layer_runs WHERE book_id = ? AND layer_id IN (${marks})`).run(id, ...layerIds).changes;
}

export function countBooks(db: Db): number {
  return (db.prepare("SELECT count(*) AS n FROM books").get() as { n: number }).n;
}
