import { listMoves, type MoveRow } from "../store/moves.js";
import type { HistoryEntry, OrganizeContext } from "./types.js";

/** Every journaled move, newest first (apply and undo, done or not). */
export function listHistory(ctx: Pick<OrganizeContext, "db">, options: { limit?: number; bookId?: number } = {}): HistoryEntry[] {
  return listMoves(ctx.db, options).map(historyEntry);
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
  };
}
