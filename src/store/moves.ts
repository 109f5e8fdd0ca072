/**
 * The move journal (table `moves`, one row per move of a book by `apply` or
 * `undo`). A row is written as 'intent' before anything on disk changes and
 * settled after: 'done' together with the book's new path in one
 * transaction, or 'rolled_back' / 'failed'. A row still at 'intent' is a move
 * a crash interrupted; recovery looks at the disk and settles it.
 *
 * A single-file book's companions (files beside it with its stem: cover,
 * OPF, cue sheet) move with it: the row names them (`companions`, a JSON
 * array of file names), each going from beside from_path to beside to_path.
 */
import path from "node:path";
import type { Db } from "./database.js";
import { nowIso } from "./database.js";
import { statement } from "./statement-cache.js";

export type MoveKind = "apply" | "undo";

/**
 * books.locked as an undo sets it (a book it moves back is not proposed again): not 1, the user's `book --lock`, so
 * that a plan can say whose lock it is. Every reader takes any value but 0 as locked.
 */
export const LOCKED_BY_UNDO = 2;
export type MoveState = "intent" | "done" | "rolled_back" | "failed";
export type MoveMethod = "rename" | "link" | "copy";

export interface MoveRow {
  id: number;
  batch_id: number;
  kind: MoveKind;
  book_id: number;
  /** The book's path (folder, or audio file for a single-file book) before and after. */
  book_from: string;
  book_to: string;
  kind_from: "folder" | "file";
  kind_to: "folder" | "file";
  root_from: string;
  root_to: string;
  /** What is renamed on disk: the book folder, or the single audio file. */
  from_path: string;
  to_path: string;
  /** The first folder the move had to create above `to_path` (null: none), so a rollback removes only what it made. */
  created_dir: string | null;
  /** JSON array of the names of the files that move with a single file, from beside `from_path` to beside `to_path`; null: none. */
  companions: string | null;
  method: MoveMethod;
  /** The book's fingerprint when the move was planned. */
  fingerprint: string;
  state: MoveState;
  undoes: number | null;
  undone_by: number | null;
  error: string | null;
  recovered: number;
  started_at: string;
  finished_at: string | null;
}

/**
 * The columns of a journal row as readers see them. A row stores NULL for
 * book_from, book_to and root_to when they equal from_path, to_path and
 * root_from (a folder book, a move within one library): about a third of
 * its bytes. Every read of whole rows goes through this list.
 */
const MOVE_COLUMNS = `id, batch_id, kind, book_id, coalesce(book_from, from_path) AS book_from, coalesce(book_to, to_path) AS book_to, kind_from,
  kind_to, root_from, coalesce(root_to, root_from) AS root_to, from_path, to_path, created_dir, companions, method, fingerprint, state, undoes, undone_by,
  error, recovered, started_at, finished_at`;

export type MoveIntent = Pick<
  MoveRow,
  "kind" | "book_id" | "book_from" | "book_to" | "kind_from" | "kind_to" | "root_from" | "root_to" | "from_path" | "to_path" | "created_dir" | "fingerprint" | "undoes"
> & { companions?: string | null };

/** `planned`: the journal rows the run sets out to write, for "cut short after N of M moves" (store/cut-short-batches.ts). */
export function startBatch(db: Db, kind: MoveKind, planned: number | null = null): number {
  return Number(db.prepare("INSERT INTO move_batches (kind, started_at, planned) VALUES (?, ?, ?)").run(kind, nowIso(), planned).lastInsertRowid);
}

export function finishBatch(db: Db, batchId: number): void {
  db.prepare("UPDATE move_batches SET finished_at = ? WHERE id = ?").run(nowIso(), batchId);
}

/** Writes the intents of a chunk of moves in one transaction; returns their ids in order. */
export function recordIntents(db: Db, batchId: number, intents: MoveIntent[]): number[] {
  let ids: number[] = [];
  db.transaction(() => {
    ids = insertIntents(db, batchId, intents);
  }).immediate();
  return ids;
}

const INTENT_COLUMNS = `id, batch_id, kind, book_id, book_from, book_to, kind_from, kind_to, root_from, root_to, from_path, to_path,
  created_dir, companions, fingerprint, state, undoes, started_at`;
const INTENT_VALUES = "(?, @batch, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'intent', ?, @now)";
/**
 * The same, for rows that share their kinds and root_from (a run's rows almost always do): those are bound once per
 * statement rather than once per row, which is most of the binding's cost (each string is converted and copied).
 */
const INTENT_VALUES_SHARED = "(?, @batch, @kind, ?, ?, ?, @kind_from, @kind_to, @root_from, ?, ?, ?, ?, ?, ?, 'intent', ?, @now)";
/** Rows per INSERT statement; a chunk's tail is written in power-of-two groups, so at most 14 statements are ever prepared. */
const ROWS_PER_INSERT = 64;

const insertSqls = new Map<string, string>();

/** The INSERT of `rows` intents (its text made once: it is also the statement cache's key). */
function insertSql(rows: number, shared: boolean): string {
  const key = `${rows}${shared ? "s" : ""}`;
  let sql = insertSqls.get(key);
  if (sql === undefined) insertSqls.set(key, (sql = `INSERT INTO moves (${INTENT_COLUMNS}) VALUES ${Array(rows).fill(shared ? INTENT_VALUES_SHARED : INTENT_VALUES).join(", ")}`));
  return sql;
}

/**
 * Inside the caller's (write) transaction: many rows per statement, with ids
 * given in order from the table's highest, so the chunk's ids are known
 * without a round trip per row.
 */
function insertIntents(db: Db, batchId: number, intents: MoveIntent[]): number[] {
  if (intents.length === 0) return [];
  const first = (statement(db, "SELECT coalesce(max(id), 0) + 1 AS id FROM moves").get() as { id: number }).id;
  const now = nowIso();
  let at = 0;
  while (at < intents.length) {
    let rows = ROWS_PER_INSERT;
    while (rows > intents.length - at) rows >>= 1;
    const head = intents[at];
    let shared = true;
    for (let i = at + 1; i < at + rows && shared; i++) {
      const m = intents[i];
      shared = m.kind === head.kind && m.kind_from === head.kind_from && m.kind_to === head.kind_to && m.root_from === head.root_from;
    }
    const values: unknown[] = [];
    for (let i = at; i < at + rows; i++) {
      const m = intents[i];
      // NULL where a reader fills in the same value (MOVE_COLUMNS).
      const bookFrom = m.book_from === m.from_path ? null : m.book_from;
      const bookTo = m.book_to === m.to_path ? null : m.book_to;
      const rootTo = m.root_to === m.root_from ? null : m.root_to;
      if (shared) values.push(first + i, m.book_id, bookFrom, bookTo, rootTo, m.from_path, m.to_path, m.created_dir, m.companions ?? null, m.fingerprint, m.undoes);
      else values.push(first + i, m.kind, m.book_id, bookFrom, bookTo, m.kind_from, m.kind_to, m.root_from, rootTo, m.from_path, m.to_path, m.created_dir, m.companions ?? null, m.fingerprint, m.undoes);
    }
    const named = shared ? { batch: batchId, now, kind: head.kind, kind_from: head.kind_from, kind_to: head.kind_to, root_from: head.root_from } : { batch: batchId, now };
    statement(db, insertSql(rows, shared)).run(values, named);
    at += rows;
  }
  return intents.map((_, i) => first + i);
}

/** A move this process journaled and carried out (or not): the intent as it wrote it, and how it ended. */
export interface JournaledOutcome {
  move: JournaledMove;
  outcome: MoveOutcome;
}

export type JournaledMove = Pick<
  MoveRow,
  "id" | "kind" | "book_id" | "book_to" | "kind_from" | "kind_to" | "root_from" | "root_to" | "from_path" | "to_path" | "undoes"
> & { companions?: string | null };

/**
 * One step of a run of moves, in one transaction (one sync): settles the
 * chunk just carried out and writes the intents of the next one. Returns the
 * new intents' ids in order.
 */
export function journalStep(db: Db, batchId: number, settled: readonly JournaledOutcome[], next: MoveIntent[]): number[] {
  let ids: number[] = [];
  const now = nowIso();
  // IMMEDIATE: the write lock first, so reading the next ids cannot race another connection's commit.
  db.transaction(() => {
    settleDone(db, settled, now);
    ids = insertIntents(db, batchId, next);
  }).immediate();
  return ids;
}

/**
 * Inside the caller's transaction: settles a chunk's outcomes. The common
 * case (moved by rename or link, fingerprint unchanged) is settled with a few
 * statements for the whole chunk, the books' paths rewritten by SQL; copies,
 * rollbacks and failures one by one (settleOne), with the same result.
 */
function settleDone(db: Db, settled: readonly JournaledOutcome[], now: string): void {
  const bulk: number[] = [];
  // The bulk moves by statement: [in place, elsewhere] x [names JSON writes as they are, others].
  const groups: number[][] = [[], [], [], []];
  let undos = false;
  for (const { move, outcome } of settled) {
    // Companions' paths are rewritten by movedPath (settleOne): the SQL below knows only the moved entry.
    // A done move with words (files a copy left behind) keeps them: settleOne stores its error column.
    if (outcome.state === "done" && outcome.fingerprint === undefined && !outcome.recovered && !move.companions && !outcome.error) {
      bulk.push(move.id);
      if (move.kind === "undo") undos = true;
      const elsewhere = !(move.kind_from === move.kind_to && move.root_from === move.root_to);
      const plain = PLAIN_JSON.test(move.from_path) && PLAIN_JSON.test(move.to_path);
      groups[(elsewhere ? 2 : 0) + (plain ? 0 : 1)].push(move.id);
    } else settleOne(db, move, outcome, now);
  }
  if (bulk.length === 0) return;
  const all = movesSelected(bulk);
  // Books first: their moves are still at 'intent' (a move already settled is left as it is).
  groups.forEach((group, i) => {
    if (group.length === 0) return;
    const selected = group.length === bulk.length ? all : movesSelected(group);
    statement(db, SETTLE_BOOKS[i][selected.range ? 1 : 0]).run(now, ...selected.params);
  });
  if (undos) {
    statement(
      db,
      `UPDATE moves AS undone SET undone_by = m.id FROM moves AS m
       WHERE ${all.where} AND m.state = 'intent' AND m.kind = 'undo' AND undone.id = m.undoes`,
    ).run(...all.params);
  }
  statement(db, `UPDATE moves AS m SET state = 'done', error = NULL, recovered = 0, finished_at = ? WHERE ${all.where} AND m.state = 'intent'`).run(now, ...all.params);
}

/**
 * How a settling statement names its moves (`m`): a chunk's ids are
 * consecutive (insertIntents gives them in order under the write lock), so
 * usually by their range, which SQLite walks on the rowid; otherwise as a
 * JSON array, looked up through json_each. A range is used only when it
 * holds exactly the ids given (distinct, ascending, no gap), so no other
 * move can be named by it.
 */
function movesSelected(ids: readonly number[]): { range: boolean; where: string; params: (number | string)[] } {
  const first = ids[0];
  if (ids.every((id, i) => id === first + i)) return { range: true, where: RANGE, params: [first, ids[ids.length - 1]] };
  return { range: false, where: LISTED, params: [JSON.stringify(ids)] };
}
const RANGE = "m.id BETWEEN ? AND ?";
const LISTED = "m.id IN (SELECT value FROM json_each(?))";

/** A path JSON writes as it is, between quotes: no quote, backslash or control character (JSON.stringify and SQLite's JSON escape those). */
const PLAIN_JSON = /^[^\u0000-\u001f\u007f"\\]*$/;

/** movedPath() in SQL, for the move `m` and the path expression `p`. */
const movedPathSql = (p: string) => `CASE WHEN ${p} = m.from_path THEN m.to_path
  WHEN m.kind_from = 'folder' AND substr(${p}, 1, length(m.from_path) + 1) = m.from_path || '/' THEN m.to_path || substr(${p}, length(m.from_path) + 1)
  ELSE ${p} END`;

/**
 * movedPath() applied to every path of the stored JSON `list` (files: objects
 * with a path; sidecars: strings), rewritten with json_each.
 */
const movedListSql = (list: string, files: boolean) =>
  files
    ? `(SELECT json_group_array(json_set(f.value, '$.path', ${movedPathSql("(f.value ->> '$.path')")}) ORDER BY f.key) FROM json_each(${list}) AS f)`
    : `(SELECT json_group_array(${movedPathSql("f.value")} ORDER BY f.key) FROM json_each(${list}) AS f)`;

/**
 * The same, by replacing text, when both paths of the move are plain (the
 * caller checks: PLAIN_JSON) and the stored JSON has no backslash: every
 * quote in it then delimits a string, and a string starting with the old
 * path is found by its opening quote followed by the path (only a path
 * comes after an opening quote and starts with "/"; after a closing quote
 * comes a comma, colon or bracket). A folder book's paths below it are
 * rewritten by their prefix, a file book's path when equal; a list holding
 * a folder book's own path as a string is left to json_each (movedPath
 * rewrites that one whole, not by its prefix). The only values in these
 * lists are paths and sizes. Several times cheaper than json_each and
 * json_group_array, and the JSON keeps its text.
 */
const movedPlainListSql = (list: string, files: boolean) => `CASE WHEN instr(${list}, '\\') > 0 THEN ${movedListSql(list, files)}
    WHEN m.kind_from = 'file' THEN replace(${list}, '"' || m.from_path || '"', '"' || m.to_path || '"')
    WHEN instr(${list}, '"' || m.from_path || '"') = 0 THEN replace(${list}, '"' || m.from_path || '/', '"' || m.to_path || '/')
    ELSE ${movedListSql(list, files)} END`;

/**
 * A folder renamed whole leaves its files' ctimes alone; a file linked or
 * renamed on its own (a loose book, and the undo that makes it loose again)
 * or copied gets a new one, which the next scan must not take for a tag
 * edit (store/books.ts applyScan): the stored value goes, and that scan
 * takes the new one as its baseline.
 */
const KEPT_CTIME = "CASE WHEN m.kind_from = 'folder' AND m.kind_to = 'folder' AND m.method = 'rename' THEN books.files_ctime END";

/** The book row of each done move (the moves named by `where`: movesSelected), as settleOne writes it. */
const settleBooksSql = (elsewhere: boolean, plain: boolean, where: string) => {
  const moved = plain ? movedPlainListSql : movedListSql;
  return `UPDATE books SET path = coalesce(m.book_to, m.to_path),${elsewhere ? " kind = m.kind_to, library_root = coalesce(m.root_to, m.root_from)," : ""}
    files = ${moved("books.files", true)},
    sidecars = ${moved("books.sidecars", false)},
    locked = CASE WHEN m.kind = 'undo' AND books.locked = 0 THEN ${LOCKED_BY_UNDO} ELSE books.locked END, row_version = books.row_version + 1, updated_at = ?,
    files_ctime = ${KEPT_CTIME}
  FROM moves AS m
  WHERE ${where} AND m.state = 'intent' AND books.id = m.book_id`;
};
// Kind and root are set only where they change, so their index is left alone where they do not. Indexed as settleDone's
// groups, then [moves listed, moves by range] (movesSelected).
const SETTLE_BOOKS = [
  [false, true],
  [false, false],
  [true, true],
  [true, false],
].map(([elsewhere, plain]) => [settleBooksSql(elsewhere, plain, LISTED), settleBooksSql(elsewhere, plain, RANGE)]);

/** Noted before a copy starts, so recovery knows to look for the copy's temporary folder. */
export function setMoveMethod(db: Db, id: number, method: MoveMethod): void {
  db.prepare("UPDATE moves SET method = ? WHERE id = ?").run(method, id);
}

export interface MoveOutcome {
  id: number;
  state: Exclude<MoveState, "intent">;
  error?: string | null;
  /** Set when the files' fingerprint changed on the way (a copy across file systems rounds mtimes). */
  fingerprint?: string;
  recovered?: boolean;
}

/**
 * Settles moves in one transaction: a done move puts its book at the new
 * path (kind, root and every stored file path with it); a done undo also
 * marks the move it undid and locks the book against re-proposal.
 */
export function settleMoves(db: Db, outcomes: MoveOutcome[]): void {
  if (outcomes.length === 0) return;
  const get = statement(db, `SELECT ${MOVE_COLUMNS} FROM moves WHERE id = ?`);
  const now = nowIso();
  db.transaction(() => {
    for (const outcome of outcomes) {
      const move = get.get(outcome.id) as MoveRow | undefined;
      if (move) settleOne(db, move, outcome, now);
    }
  }).immediate();
}

/** Inside the caller's transaction. A move no longer at 'intent' is left as it is. */
function settleOne(db: Db, move: JournaledMove, outcome: MoveOutcome, now: string): void {
  const setState = statement(db, "UPDATE moves SET state = ?, error = ?, recovered = ?, finished_at = ? WHERE id = ? AND state = 'intent'");
  if (setState.run(outcome.state, outcome.error ?? null, outcome.recovered ? 1 : 0, now, move.id).changes === 0) return;
  if (outcome.state !== "done") return;
  const stored = statement(db, "SELECT files, sidecars FROM books WHERE id = ?").get(move.book_id) as { files: string; sidecars: string } | undefined;
  if (!stored) return;
  const files = (JSON.parse(stored.files) as { path: string; size: number }[]).map((f) => ({ ...f, path: movedPath(move, f.path) }));
  const sidecars = (JSON.parse(stored.sidecars) as string[]).map((p) => movedPath(move, p));
  // The method is the journal's (set when a move turned into a copy), not the caller's.
  const method = (statement(db, "SELECT method FROM moves WHERE id = ?").get(move.id) as { method: string } | undefined)?.method;
  const keepCtime = move.kind_from === "folder" && move.kind_to === "folder" && method === "rename" ? 1 : 0;
  const json = [JSON.stringify(files), JSON.stringify(sidecars), outcome.fingerprint ?? null, move.kind === "undo" ? 1 : 0, now, keepCtime, move.book_id];
  // The version is bumped here, so the row_version trigger does not run a second UPDATE per book; kind
  // and root are set only when they change, so their index is left alone when they do not.
  if (move.kind_from === move.kind_to && move.root_from === move.root_to) {
    statement(
      db,
      `UPDATE books SET path = ?, files = ?, sidecars = ?, fingerprint = coalesce(?, fingerprint),
         locked = CASE WHEN ? AND locked = 0 THEN ${LOCKED_BY_UNDO} ELSE locked END, row_version = row_version + 1, updated_at = ?,
         files_ctime = CASE WHEN ? THEN files_ctime END WHERE id = ?`,
    ).run(move.book_to, ...json);
  } else {
    statement(
      db,
      `UPDATE books SET path = ?, kind = ?, library_root = ?, files = ?, sidecars = ?, fingerprint = coalesce(?, fingerprint),
         locked = CASE WHEN ? AND locked = 0 THEN ${LOCKED_BY_UNDO} ELSE locked END, row_version = row_version + 1, updated_at = ?,
         files_ctime = CASE WHEN ? THEN files_ctime END WHERE id = ?`,
    ).run(move.book_to, move.kind_to, move.root_to, ...json);
  }
  if (move.kind === "undo" && move.undoes !== null) statement(db, "UPDATE moves SET undone_by = ? WHERE id = ?").run(move.id, move.undoes);
}

/** Where a file of the book lives after the move. */
export function movedPath(move: Pick<MoveRow, "from_path" | "to_path" | "kind_from"> & { companions?: string | null }, filePath: string): string {
  if (filePath === move.from_path) return move.to_path;
  if (move.kind_from === "folder" && filePath.startsWith(move.from_path + "/")) return move.to_path + filePath.slice(move.from_path.length);
  if (move.companions) for (const pair of companionPairs(move)) if (pair.from === filePath) return pair.to;
  return filePath;
}

/** The files that move with a single file, each from beside `from_path` to beside `to_path` (none for most moves). */
export function companionPairs(move: Pick<MoveRow, "from_path" | "to_path"> & { companions?: string | null }): { from: string; to: string }[] {
  if (!move.companions) return [];
  const fromDir = path.dirname(move.from_path);
  const toDir = path.dirname(move.to_path);
  return (JSON.parse(move.companions) as string[]).map((name) => {
    // Names the scan read from one folder: never a path, so a row can only ever name files beside the book.
    if (typeof name !== "string" || name === "" || name === "." || name === ".." || name.includes("/") || name.includes("\0")) {
      throw new Error(`the journal names ${JSON.stringify(name)} as a file that moves with the book, which is not a file name`);
    }
    return { from: path.join(fromDir, name), to: path.join(toDir, name) };
  });
}

export function openMoves(db: Db): MoveRow[] {
  return db.prepare(`SELECT ${MOVE_COLUMNS} FROM moves WHERE state = 'intent' ORDER BY id`).all() as MoveRow[];
}

export function hasOpenMoves(db: Db): boolean {
  return db.prepare("SELECT 1 FROM moves WHERE state = 'intent' LIMIT 1").get() !== undefined;
}

export function getMove(db: Db, id: number): MoveRow | undefined {
  return db.prepare(`SELECT ${MOVE_COLUMNS} FROM moves WHERE id = ?`).get(id) as MoveRow | undefined;
}

/** Newest first. */
export function listMoves(db: Db, options: { limit?: number; offset?: number; bookId?: number } = {}): MoveRow[] {
  const limit = options.limit ?? -1;
  const offset = options.offset ?? 0;
  if (options.bookId !== undefined) {
    return db.prepare(`SELECT ${MOVE_COLUMNS} FROM moves WHERE book_id = ? ORDER BY id DESC LIMIT ? OFFSET ?`).all(options.bookId, limit, offset) as MoveRow[];
  }
  return db.prepare(`SELECT ${MOVE_COLUMNS} FROM moves ORDER BY id DESC LIMIT ? OFFSET ?`).all(limit, offset) as MoveRow[];
}

export function countMoves(db: Db): number {
  return (statement(db, "SELECT count(*) AS n FROM moves").get() as { n: number }).n;
}

/** The newest apply batch that still has moves to undo, and those moves, newest first. */
export function lastUndoableBatch(db: Db, limit = Number.MAX_SAFE_INTEGER): { batch_id: number; moves: number; move_ids: number[] } | null {
  const undoable = "kind = 'apply' AND state = 'done' AND undone_by IS NULL";
  const batch = (statement(db, `SELECT max(batch_id) AS id FROM moves WHERE ${undoable}`).get() as { id: number | null }).id;
  if (batch === null) return null;
  // The count whole, the ids a page of them: an apply of 100,000 books answered 100,000 ids on every history page.
  const moves = (statement(db, `SELECT count(*) AS n FROM moves WHERE ${undoable} AND batch_id = ?`).get(batch) as { n: number }).n;
  const rows = statement(db, `SELECT id FROM moves WHERE ${undoable} AND batch_id = ? ORDER BY id DESC LIMIT ?`).all(batch, limit) as { id: number }[];
  return { batch_id: batch, moves, move_ids: rows.map((r) => r.id) };
}

/** The moves of apply `batchId` not yet undone, newest first (Undo the last apply names the apply, not its ids). */
export function undoableMovesOfBatch(db: Db, batchId: number): number[] {
  const rows = statement(db, "SELECT id FROM moves WHERE kind = 'apply' AND state = 'done' AND undone_by IS NULL AND batch_id = ? ORDER BY id DESC").all(batchId) as { id: number }[];
  return rows.map((r) => r.id);
}

/** The last `count` applied moves not yet undone, newest first (older than `beforeId`, to read on past some). */
export function lastAppliedMoves(db: Db, count: number, beforeId = Number.MAX_SAFE_INTEGER): MoveRow[] {
  return db
    .prepare(`SELECT ${MOVE_COLUMNS} FROM moves WHERE kind = 'apply' AND state = 'done' AND undone_by IS NULL AND id < ? ORDER BY id DESC LIMIT ?`)
    .all(beforeId, count) as MoveRow[];
}

/**
 * The newest finished move that took a book away from `bookPath` (apply or undo), with where the book is recorded
 * now: a link the user made to a book folder is left pointing at the old place.
 */
/**
 * The undo that last moved `bookId` back, when the book's last settled move is one (undo locks what it moves back):
 * what a plan names as the lock's source, rather than calling every lock the user's.
 */
export function lastUndoOf(db: Db, bookId: number): { move_id: number; undoes: number | null } | undefined {
  const row = statement(db, "SELECT id, kind, undoes FROM moves WHERE book_id = ? AND state = 'done' ORDER BY id DESC LIMIT 1").get(bookId) as
    | { id: number; kind: MoveKind; undoes: number | null }
    | undefined;
  return row?.kind === "undo" ? { move_id: row.id, undoes: row.undoes } : undefined;
}

/**
 * Applied moves not undone whose undo an earlier `undo --last` set aside (a failed undo row whose error starts with
 * `prefix`): the count and the first `shown` ids, newest first.
 */
export function setAsideApplied(db: Db, prefix: string, shown = 5): { count: number; move_ids: number[] } {
  const rows = statement(
    db,
    "SELECT a.id FROM moves a WHERE a.kind = 'apply' AND a.state = 'done' AND a.undone_by IS NULL AND EXISTS (SELECT 1 FROM moves u WHERE u.undoes = a.id AND u.state = 'failed' AND substr(u.error, 1, length(?)) = ?) ORDER BY a.id DESC",
  )
    .pluck()
    .all(prefix, prefix) as number[];
  return { count: rows.length, move_ids: rows.slice(0, shown) };
}

export function lastMoveAwayFrom(db: Db, bookPath: string): { move_id: number; book_id: number; book_path: string | null } | undefined {
  return statement(
    db,
    "SELECT m.id AS move_id, m.book_id AS book_id, b.path AS book_path FROM moves m LEFT JOIN books b ON b.id = m.book_id WHERE coalesce(m.book_from, m.from_path) = ? AND m.state = 'done' AND coalesce(m.book_from, m.from_path) <> coalesce(m.book_to, m.to_path) ORDER BY m.id DESC LIMIT 1",
  ).get(bookPath) as { move_id: number; book_id: number; book_path: string | null } | undefined;
}

/** The id of the book recorded at exactly this path, if any (missing books included). */
export function bookIdAtPath(db: Db, bookPath: string): number | undefined {
  const row = statement(db, "SELECT id FROM books WHERE path = ?").get(bookPath) as { id: number } | undefined;
  return row?.id;
}

/**
 * The books `apply` moved out of the library folder `root` that are recorded under another folder now (output_path,
 * or another library folder), not missing, not moved back: what an emptied library folder's books became. `to`
 * names the folders they are under, sorted.
 */
export function booksMovedOutOf(db: Db, root: string): { books: number; to: string[] } {
  const rows = statement(
    db,
    "SELECT b.library_root AS root, count(DISTINCT b.id) AS n FROM moves m JOIN books b ON b.id = m.book_id WHERE m.kind = 'apply' AND m.state = 'done' AND m.undone_by IS NULL AND m.root_from = ? AND b.library_root <> ? AND b.status <> 'missing' GROUP BY b.library_root ORDER BY b.library_root",
  ).all(root, root) as { root: string; n: number }[];
  return { books: rows.reduce((sum, row) => sum + row.n, 0), to: rows.map((row) => row.root) };
}
