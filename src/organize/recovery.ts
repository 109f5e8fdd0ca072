/**
 * Settles moves a crash interrupted (journal rows still at 'intent'), from
 * what is on disk: a book found only at its new place is finished, a book
 * found only at its old place is rolled back (with the folders the move
 * created), a half-done copy is finished when its verified copy is in place
 * and removed otherwise. A single file's companions follow it either way
 * (organize/companions.ts). Runs under the data-folder lock, never beside a
 * process that is moving books.
 */
import path from "node:path";
import type { Db } from "../store/database.js";
import { getBook } from "../store/books.js";
import { tryAcquireDataLock } from "../store/data-lock.js";
import { companionPairs, hasOpenMoves, movedPath, openMoves, settleMoves, type MoveOutcome, type MoveRow } from "../store/moves.js";
import { settleCompanions } from "./companions.js";
import { finishCopy, lexists, partialPath, removeEmptyParents, removeOwnCopy, sameInode } from "./disk.js";
import { movedEntryKind, movesInFlight } from "./execute.js";
import { diskFingerprint } from "./fingerprint-check.js";
import type { RecoveredMove } from "./types.js";
import fs from "node:fs";

type Listener = (recovered: RecoveredMove[]) => void;
const listeners = new Set<Listener>();

/** Called whenever opening a database settled interrupted moves (the CLI prints them, the server logs them). */
export function onRecovery(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * For every command that opens the database: settles interrupted moves when
 * there are any and the data-folder lock is free (a holder may be moving
 * them right now). Cheap when there is nothing to do: one indexed query.
 */
export function recoverAtOpen(db: Db, dataDir: string): RecoveredMove[] {
  if (movesInFlight() || !hasOpenMoves(db)) return [];
  let lock: ReturnType<typeof tryAcquireDataLock>;
  try {
    lock = tryAcquireDataLock(dataDir, "recovery");
  } catch {
    // A read-only data folder: a reader still gets its answer; the next writer settles the journal.
    return [];
  }
  if (!lock) return [];
  try {
    const recovered = recoverInterrupted(db);
    if (recovered.length > 0) for (const listener of listeners) listener(recovered);
    return recovered;
  } finally {
    lock.release();
  }
}

/** Settles every interrupted move. The caller holds the data-folder lock. */
export function recoverInterrupted(db: Db): RecoveredMove[] {
  const out: RecoveredMove[] = [];
  for (const move of openMoves(db)) {
    let decided: { outcome: RecoveredMove["outcome"]; error: string | null };
    try {
      decided = decide(move);
    } catch (error) {
      decided = { outcome: "failed", error: `recovery could not settle the move: ${(error as Error).message}` };
    }
    const settled: MoveOutcome = {
      id: move.id,
      state: decided.outcome === "finished" ? "done" : decided.outcome === "rolled_back" ? "rolled_back" : "failed",
      error: decided.error ?? (decided.outcome === "rolled_back" ? "interrupted; rolled back by recovery" : null),
      recovered: true,
    };
    if (decided.outcome === "finished" && move.method === "copy") settled.fingerprint = fingerprintAfter(db, move) ?? undefined;
    settleMoves(db, [settled]);
    if (decided.outcome === "finished") removeEmptyParents(path.dirname(move.from_path), move.root_from);
    out.push({
      move_id: move.id,
      book_id: move.book_id,
      kind: move.kind,
      outcome: decided.outcome,
      path: decided.outcome === "finished" ? move.book_to : move.book_from,
      error: decided.error,
    });
  }
  return out;
}

function decide(move: MoveRow): { outcome: RecoveredMove["outcome"]; error: string | null } {
  const decided = decideMain(move);
  if (!move.companions) return decided;
  // The audio file decided where the book is: its companions go there too (back to the old place unless it finished).
  let left: string | null;
  try {
    left = settleCompanions(companionPairs(move), decided.outcome === "finished", move.method === "copy");
  } catch (error) {
    left = `companions not all settled: ${(error as Error).message}`;
  }
  if (decided.outcome === "rolled_back" && move.created_dir) removeEmptyParents(path.dirname(move.to_path), path.dirname(move.created_dir));
  return left === null ? decided : { outcome: decided.outcome, error: decided.error ? `${decided.error}; ${left}` : left };
}

function decideMain(move: MoveRow): { outcome: RecoveredMove["outcome"]; error: string | null } {
  const from = move.from_path;
  const to = move.to_path;
  const rollBack = () => {
    if (move.created_dir) removeEmptyParents(path.dirname(to), path.dirname(move.created_dir));
    return { outcome: "rolled_back" as const, error: null };
  };
  if (move.method === "copy") {
    const partial = partialPath(to, move.id);
    // Our own hidden folder: a copy that never reached its place.
    if (lexists(partial)) removeOwnCopy(partial);
    if (lexists(to)) {
      finishCopy(from, to, movedEntryKind(move));
      return { outcome: "finished", error: lexists(from) ? `files left at ${from} differ from the copy; kept` : null };
    }
    if (lexists(from)) return rollBack();
    return { outcome: "failed", error: `the book is at neither ${from} nor ${to}; run \`shelfwise scan\`` };
  }
  const atFrom = lexists(from);
  const atTo = lexists(to);
  if (atTo && !atFrom) return { outcome: "finished", error: null };
  if (atFrom && !atTo) return rollBack();
  if (atFrom && atTo && sameInode(from, to)) {
    // Linked but not yet unlinked: one file under two names.
    fs.unlinkSync(from);
    return { outcome: "finished", error: null };
  }
  if (atFrom && atTo) return { outcome: "failed", error: `both ${from} and ${to} exist; the book stays at ${from}, nothing was removed` };
  return { outcome: "failed", error: `the book is at neither ${from} nor ${to}; run \`shelfwise scan\`` };
}

function fingerprintAfter(db: Db, move: MoveRow): string | null {
  const book = getBook(db, move.book_id);
  if (!book) return null;
  // settleMoves already moved the stored paths when it runs first; map either way.
  const files = JSON.stringify((JSON.parse(book.files) as { path: string; size: number }[]).map((f) => ({ ...f, path: movedPath(move, f.path) })));
  const sidecars = JSON.stringify((JSON.parse(book.sidecars) as string[]).map((p) => movedPath(move, p)));
  return diskFingerprint({ path: move.book_to, kind: move.kind_to, files, sidecars });
}
