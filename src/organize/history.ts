import { countMoves, lastUndoableBatch, listMoves, type MoveRow } from "../store/moves.js";
import { journaledCompanions } from "./companion-names.js";
import type { HistoryEntry, OrganizeContext } from "./types.js";

/** Every journaled move, newest first (apply and undo, done or not). */
export function listHistory(ctx: Pick<OrganizeContext, "db">, options: { limit?: number; offset?: number; bookId?: number } = {}): HistoryEntry[] {
  return listMoves(ctx.db, options).map(historyEntry);
}

/**
 * One page of the history, with what a pager needs (the total) and the moves an
 * "undo the last apply" acts on: the whole batch, whichever page is shown.
 */
export function historyPage(ctx: Pick<OrganizeContext, "db">, options: { limit: number; offset: number }) {
  return {
    entries: listHistory(ctx, options),
    total: countMoves(ctx.db),
    offset: options.offset,
    last_apply: lastUndoableBatch(ctx.db, options.limit),
  };
}

export function historyEntry(m: MoveRow): HistoryEntry {
  return {
    move_id: m.id,
    batch_id: m.batch_id,
    kind: m.kind,
    book_id: m.book_id,
    from: m.book_from,
    to: m.book_to,
    state: m.state,
    method: m.method,
    at: m.started_at,
    finished_at: m.finished_at,
    undoes: m.undoes,
    undone_by: m.undone_by,
    recovered: m.recovered !== 0,
    error: m.error,
    companions: journaledCompanions(m.companions),
  };
}
