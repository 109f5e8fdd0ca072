/**
 * An apply or undo whose process died (kill -9, a power loss) leaves its batch unended (finished_at NULL). The first
 * command holding the data-folder lock afterwards (no process can be running it then) marks it cut short (migration
 * 39), after recovery settled its open moves; the newest batch, when cut short, is the report `status`, `history` and
 * the web app show until another apply or undo starts.
 */
import type { Db } from "./database.js";
import { nowIso } from "./database.js";
import { statement } from "./statement-cache.js";

/** Books named by id in a report before the rest are counted. */
const NAMED_BOOKS = 10;

export function hasUnendedBatch(db: Db): boolean {
  return statement(db, "SELECT 1 FROM move_batches WHERE finished_at IS NULL AND cut_short_at IS NULL LIMIT 1").get() !== undefined;
}

/** Called holding the data-folder lock, with no batch of this process running: every unended batch was cut short. */
export function markCutShortBatches(db: Db): number {
  return db.prepare("UPDATE move_batches SET cut_short_at = ? WHERE finished_at IS NULL AND cut_short_at IS NULL").run(nowIso()).changes;
}

export interface CutShortBatch {
  batch_id: number;
  kind: "apply" | "undo";
  started_at: string;
  found_at: string;
  /** Journal rows the run set out to write; null for a run from before this was recorded. */
  planned: number | null;
  /** Moves the run itself settled before it was cut short (moved, or failed with its reason). */
  settled_before: number;
  finished_by_recovery: number;
  rolled_back_by_recovery: number;
  unsettled_by_recovery: number;
  finished_book_ids: number[];
  rolled_back_book_ids: number[];
  unsettled_book_ids: number[];
}

/** The newest apply or undo, when it was cut short; null when it ended (or there is none). */
export function lastCutShortBatch(db: Db): CutShortBatch | null {
  const batch = statement(db, "SELECT id, kind, started_at, cut_short_at, planned FROM move_batches ORDER BY id DESC LIMIT 1").get() as
    | { id: number; kind: "apply" | "undo"; started_at: string; cut_short_at: string | null; planned: number | null }
    | undefined;
  if (!batch || batch.cut_short_at === null) return null;
  const counts = statement(
    db,
    `SELECT sum(recovered = 0 AND state <> 'intent') AS before, sum(recovered = 1 AND state = 'done') AS finished,
       sum(recovered = 1 AND state = 'rolled_back') AS rolled_back, sum(recovered = 1 AND state = 'failed') AS unsettled
     FROM moves WHERE batch_id = ?`,
  ).get(batch.id) as { before: number | null; finished: number | null; rolled_back: number | null; unsettled: number | null };
  const books = (state: string) =>
    (statement(db, "SELECT book_id FROM moves WHERE batch_id = ? AND recovered = 1 AND state = ? ORDER BY id LIMIT ?").all(batch.id, state, NAMED_BOOKS) as { book_id: number }[]).map((r) => r.book_id);
  return {
    batch_id: batch.id,
    kind: batch.kind,
    started_at: batch.started_at,
    found_at: batch.cut_short_at,
    planned: batch.planned,
    settled_before: counts.before ?? 0,
    finished_by_recovery: counts.finished ?? 0,
    rolled_back_by_recovery: counts.rolled_back ?? 0,
    unsettled_by_recovery: counts.unsettled ?? 0,
    finished_book_ids: books("done"),
    rolled_back_book_ids: books("rolled_back"),
    unsettled_book_ids: books("failed"),
  };
}
