import type { Statement } from "better-sqlite3";
import type { Db } from "./database.js";
import { nowIso } from "./database.js";
import { statement } from "./statement-cache.js";
import { profileOf, writeProfile } from "./book-profiles.js";
import type { BookRow, ReadVersion } from "./books.js";

export type RunStatus = "ok" | "error" | "skipped";

export interface LayerRunRow {
  book_id: number;
  layer_id: string;
  status: RunStatus;
  ran_at: string;
  /**
   * An error run's error; an ok run's warnings about the book, one a line (a file cut short, a tag left out), or
   * null. The column is the one a run has always had: no migration for text only ever shown with the run.
   */
  error: string | null;
}

/** The columns a layer run reads: fewer columns, cheaper rows, for every book and every layer. */
export type PendingBookRow = Pick<
  BookRow,
  "id" | "path" | "kind" | "library_root" | "status" | "status_reason" | "confidence" | "profile" | "files" | "sidecars" | "tags" | "row_version"
>;

/** Books that still need `layerId`: no run yet, not missing, not locked by the user. */
export function pendingForLayer(db: Db, layerId: string, afterId: number, limit: number): PendingBookRow[] {
  return statement(
    db,
    `SELECT b.id, b.path, b.kind, b.library_root, b.status, b.status_reason, b.confidence, ${profileOf("b")} AS profile, b.files, b.sidecars, b.tags, b.row_version FROM books b
       WHERE b.id > ? AND b.status != 'missing' AND b.locked = 0
         AND NOT EXISTS (SELECT 1 FROM layer_runs r WHERE r.book_id = b.id AND r.layer_id = ?)
       ORDER BY b.id LIMIT ?`,
  ).all(afterId, layerId, limit) as PendingBookRow[];
}

/** A pending book of a pass over several layers: `needs[i]` is 1 when it has no run of the pass's i-th layer yet. */
export type PassBookRow = PendingBookRow & { needs: number[] };

/** Books that still need any of `layerIds` (see pendingForLayer), each with the ones it needs. */
export function pendingForAny(db: Db, layerIds: readonly string[], afterId: number, limit: number): PassBookRow[] {
  const lacks = `NOT EXISTS (SELECT 1 FROM layer_runs r WHERE r.book_id = b.id AND r.layer_id = ?)`;
  const rows = statement(
    db,
    `SELECT b.id, b.path, b.kind, b.library_root, b.status, b.status_reason, b.confidence, ${profileOf("b")} AS profile, b.files, b.sidecars, b.tags, b.row_version,
         ${layerIds.map((_, i) => `${lacks} AS needs_${i}`).join(", ")} FROM books b
       WHERE b.id > ? AND b.status != 'missing' AND b.locked = 0 AND (${layerIds.map(() => lacks).join(" OR ")})
       ORDER BY b.id LIMIT ?`,
  ).all(...layerIds, afterId, ...layerIds, limit) as (PendingBookRow & Record<string, number>)[];
  return rows.map((row) => {
    const needs = layerIds.map((_, i) => row[`needs_${i}`]!);
    for (let i = 0; i < layerIds.length; i++) delete row[`needs_${i}`];
    return Object.assign(row, { needs });
  });
}

export function countPendingForAny(db: Db, layerIds: readonly string[]): number {
  const lacks = `NOT EXISTS (SELECT 1 FROM layer_runs r WHERE r.book_id = b.id AND r.layer_id = ?)`;
  const row = db
    .prepare(`SELECT count(*) AS n FROM books b WHERE b.status != 'missing' AND b.locked = 0 AND (${layerIds.map(() => lacks).join(" OR ")})`)
    .get(...layerIds) as { n: number };
  return row.n;
}

export function countPendingForLayer(db: Db, layerId: string): number {
  const row = db
    .prepare(
      `SELECT count(*) AS n FROM books b
       WHERE b.status != 'missing' AND b.locked = 0
         AND NOT EXISTS (SELECT 1 FROM layer_runs r WHERE r.book_id = b.id AND r.layer_id = ?)`,
    )
    .get(layerId) as { n: number };
  return row.n;
}

export function runsForBook(db: Db, bookId: number): LayerRunRow[] {
  return db
    .prepare("SELECT * FROM layer_runs WHERE book_id = ? ORDER BY ran_at, layer_id")
    .all(bookId) as LayerRunRow[];
}

/**
 * Clears runs so the next `process` redoes the work (all layers, or one).
 * In-flight marks a crash left go too: redoing the work is the user's explicit
 * request to call the layer again, the book the crash interrupted included
 * (otherwise it alone got an `interrupted` error instead of its call).
 * Called with the data-folder lock held and no run in progress.
 */
export function clearRuns(db: Db, layerId?: string): number {
  return db.transaction(() => {
    if (layerId) {
      db.prepare("DELETE FROM layer_inflight WHERE layer_id = ?").run(layerId);
      return db.prepare("DELETE FROM layer_runs WHERE layer_id = ?").run(layerId).changes;
    }
    db.prepare("DELETE FROM layer_inflight").run();
    return db.prepare("DELETE FROM layer_runs").run().changes;
  })();
}

/** A book's new state after a layer ran on it. */
export interface BookUpdate {
  id: number;
  profile: string;
  confidence: number;
  fields: Record<"author" | "title" | "narrator" | "series" | "series_num" | "year" | "language", string | null>;
  status?: string;
  status_reason?: string | null;
  proposed_path?: string | null;
  /** Only set when the layer read tags (embedded_tags). */
  tags?: string;
}

export interface RunRecord {
  book_id: number;
  /** The layer whose run this is, when a batch writes runs of several layers; else writeLayerBatch's `layerId`. */
  layer_id?: string;
  status: RunStatus;
  /** The error, or an ok run's warnings one a line (LayerRunRow.error). */
  error: string | null;
}

/**
 * Records books as handed to an at-most-once layer, committed before the call
 * (see Layer.atMostOnce).
 */
export function markInFlight(db: Db, layerId: string, bookIds: number[]): void {
  const insert = statement(db, "INSERT OR REPLACE INTO layer_inflight (book_id, layer_id, started_at) VALUES (?, ?, ?)");
  const now = nowIso();
  db.transaction(() => {
    for (const id of bookIds) insert.run(id, layerId, now);
  })();
}

/** Books a crash left in flight with this layer. */
/** Books whose last run of the layer failed (an error, or a call a crash interrupted), counted over the error rows only (index layer_runs_errors). */
export function failedBookCount(db: Db, layerId: string): number {
  return (statement(db, "SELECT count(*) AS n FROM layer_runs INDEXED BY layer_runs_errors WHERE status = 'error' AND layer_id = ?").get(layerId) as { n: number }).n;
}

export function inFlightBooks(db: Db, layerId: string): number[] {
  return (statement(db, "SELECT book_id FROM layer_inflight WHERE layer_id = ? ORDER BY book_id").all(layerId) as { book_id: number }[]).map(
    (row) => row.book_id,
  );
}

/** What else a batch writes in its transaction: the layer's own records, and the in-flight marks it clears. */
export interface BatchExtras {
  writes?: ((db: Db) => void)[];
  /** Books whose in-flight mark the batch settles (answered or not). */
  settledInFlight?: number[];
}

/**
 * Writes one batch: profiles, runs, the layer's own records (`extras`: call
 * logs, counters, state changes) and the in-flight marks it settles, in a
 * single transaction: a crash leaves all of a batch or none of it.
 *
 * Conditional on what the writer read: a book whose row changed since
 * (`read`: the ids and row versions the batch was built from) or that is
 * `missing` now gets neither its update nor its run, so a stale write never
 * undoes a scan (a changed book is simply pending again). Without `read`,
 * only the `missing` guard applies. Returns the ids left alone.
 */
export function writeLayerBatch(
  db: Db,
  layerId: string,
  updates: BookUpdate[],
  runs: RunRecord[],
  read?: readonly ReadVersion[],
  extras: BatchExtras = {},
): Set<number> {
  const now = nowIso();
  // The shown values have indexes (the web app sorts and filters by each, two of them through the JS fold) and the
  // search queue's trigger watches four of them: SQLite rewrites the entry of every index whose column an UPDATE
  // names, changed or not. So the current values are read first and only the columns that differ are named, in the
  // same statement as the evidence: one UPDATE per book, and a layer that adds evidence without changing a winner
  // (or changes only the confidence) touches no other index.
  const readShown = statement(db, `SELECT row_version, status, ${SHOWN_COLUMNS.join(", ")} FROM books WHERE id = ?`);
  const updateStatus = statement(
    db,
    "UPDATE books SET status = ?, status_reason = ?, proposed_path = ?, row_version = row_version + 1 WHERE id = ? AND status <> 'missing'",
  );
  const insertRun = statement(
    db,
    `INSERT INTO layer_runs (book_id, layer_id, status, ran_at, error)
       SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM books WHERE id = ? AND status <> 'missing')
     ON CONFLICT (book_id, layer_id) DO UPDATE SET status = excluded.status, ran_at = excluded.ran_at, error = excluded.error`,
  );
  return db
    .transaction(() => {
      // One read per book for both the staleness check and the shown values to compare with (a SELECT each had
      // been ~a tenth of the batch's SQL).
      const stale = new Set<number>();
      const stored = new Map<number, Record<string, unknown>>();
      if (read) {
        for (const book of read) {
          const row = readShown.get(book.id) as (Record<string, unknown> & { row_version: number; status: string }) | undefined;
          if (!row || row.row_version !== book.row_version || row.status === "missing") stale.add(book.id);
          else stored.set(book.id, row);
        }
      }
      for (const u of updates) {
        if (stale.has(u.id)) continue;
        const current = stored.get(u.id) ?? (readShown.get(u.id) as Record<string, unknown> | undefined);
        if (current === undefined || current.status === "missing") continue;
        const shown: unknown[] = [u.confidence, u.fields.author, u.fields.title, u.fields.narrator, u.fields.series, u.fields.series_num, u.fields.year, u.fields.language];
        let mask = 0;
        const changed: unknown[] = [];
        for (let i = 0; i < SHOWN_COLUMNS.length; i++) {
          if (!sameValue(current[SHOWN_COLUMNS[i]!], shown[i])) {
            mask |= 1 << i;
            changed.push(shown[i]);
          }
        }
        if (evidenceUpdate(db, mask).run(u.tags ?? null, now, ...changed, u.id).changes > 0) writeProfile(db, u.id, u.profile);
        if (u.status !== undefined) updateStatus.run(u.status, u.status_reason ?? null, u.proposed_path ?? null, u.id);
      }
      for (const r of runs) if (!stale.has(r.book_id)) insertRun.run(r.book_id, r.layer_id ?? layerId, r.status, now, r.error, r.book_id);
      for (const write of extras.writes ?? []) write(db);
      if (extras.settledInFlight?.length) {
        const settle = statement(db, "DELETE FROM layer_inflight WHERE layer_id = ? AND book_id = ?");
        for (const id of extras.settledInFlight) settle.run(layerId, id);
      }
      return stale;
    })
    .immediate();
}

/** The columns a book's resolved profile shows, in BookUpdate's order: confidence, then the fields. */
const SHOWN_COLUMNS = ["confidence", "author", "title", "narrator", "series", "series_num", "year", "language"] as const;

/** As SQL's `IS` compares them: null equals null; a stored REAL and a JS number are the same double. */
function sameValue(stored: unknown, value: unknown): boolean {
  return stored === value || (stored == null && value == null);
}

/** The evidence UPDATE naming only the shown columns in `mask` (bit i: SHOWN_COLUMNS[i]), prepared once per mask. */
function evidenceUpdate(db: Db, mask: number): Statement {
  let byMask = EVIDENCE_UPDATES.get(db);
  if (byMask === undefined) EVIDENCE_UPDATES.set(db, (byMask = []));
  let update = byMask[mask];
  if (update === undefined) {
    const set = SHOWN_COLUMNS.filter((_, i) => mask & (1 << i)).map((column) => `, ${column} = ?`).join("");
    byMask[mask] = update = db.prepare(
      `UPDATE books SET tags = coalesce(?, tags), updated_at = ?, row_version = row_version + 1${set} WHERE id = ? AND status <> 'missing'`,
    );
  }
  return update;
}

const EVIDENCE_UPDATES = new WeakMap<Db, Statement[]>();

/**
 * Books still without a final status (new or pending, not locked, not missing) that have no run of a layer in
 * `layerIds`, each counted under the first such layer in that order: the layer that stopped before it got to
 * them (auto-disabled, halted), so they could not be identified. Layers with none are left out.
 */
export function unfinishedByLayer(db: Db, layerIds: readonly string[]): { layer_id: string; books: number }[] {
  const ran = (negate: boolean) => `${negate ? "NOT " : ""}EXISTS (SELECT 1 FROM layer_runs r WHERE r.book_id = b.id AND r.layer_id = ?)`;
  const counts: { layer_id: string; books: number }[] = [];
  layerIds.forEach((layerId, i) => {
    const earlier = layerIds.slice(0, i);
    const row = db
      .prepare(
        `SELECT count(*) AS n FROM books b WHERE b.status IN ('new', 'pending') AND b.locked = 0 AND ${[ran(true), ...earlier.map(() => ran(false))].join(" AND ")}`,
      )
      .get(layerId, ...earlier) as { n: number };
    if (row.n > 0) counts.push({ layer_id: layerId, books: row.n });
  });
  return counts;
}

/** Books that passed every given layer but have no final status yet. */
export function booksAwaitingStatus(db: Db, layerIds: string[]): BookRow[] {
  if (layerIds.length === 0) {
    return db.prepare(`SELECT b.*, ${profileOf("b")} AS profile FROM books b WHERE status IN ('new', 'pending') AND locked = 0`).all() as BookRow[];
  }
  return db
    .prepare(
      `SELECT b.*, ${profileOf("b")} AS profile FROM books b
       WHERE b.status IN ('new', 'pending') AND b.locked = 0
         AND (SELECT count(*) FROM layer_runs r
              WHERE r.book_id = b.id AND r.layer_id IN (${layerIds.map(() => "?").join(",")})) = ?`,
    )
    .all(...layerIds, layerIds.length) as BookRow[];
}

/**
 * Final statuses, each conditional on the row the status was judged from
 * (`row_version` when given) and never over a `missing` book. Returns how
 * many were written.
 */
export function setBookStatus(
  db: Db,
  updates: { id: number; status: string; status_reason: string | null; proposed_path: string | null; row_version?: number }[],
): number {
  const guarded = db.prepare(
    `UPDATE books SET status = ?, status_reason = ?, proposed_path = ?, updated_at = ?, row_version = row_version + 1
     WHERE id = ? AND status <> 'missing' AND row_version = ?`,
  );
  const unguarded = db.prepare(
    `UPDATE books SET status = ?, status_reason = ?, proposed_path = ?, updated_at = ?, row_version = row_version + 1
     WHERE id = ? AND status <> 'missing'`,
  );
  const now = nowIso();
  return db
    .transaction(() => {
      let written = 0;
      for (const u of updates) {
        const result =
          u.row_version === undefined
            ? unguarded.run(u.status, u.status_reason, u.proposed_path, now, u.id)
            : guarded.run(u.status, u.status_reason, u.proposed_path, now, u.id, u.row_version);
        written += result.changes;
      }
      return written;
    })
    .immediate();
}
