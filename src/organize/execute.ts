/**
 * Runs journaled moves in chunks: the chunk's intents are committed (with a
 * full sync) before any of its books is touched, then each book is moved and
 * the outcomes (with the books' new paths) are committed in one transaction.
 * Recovery decides each interrupted intent from the disk alone, so a chunk
 * costs two commits, not two per book.
 *
 * Renames are not followed by a folder fsync each: on journaling file
 * systems (ext4, xfs, btrfs, apfs) the full-sync commit that settles the
 * chunk forces the metadata journal, renames included. Should a power loss
 * still lose a rename recorded as done, the book is whole at its old place
 * and the next scan recognizes it there by its files (same id and evidence).
 * Copies across file systems do fsync every file and folder: the source is
 * removed only after the copy is on disk.
 */
import path from "node:path";
import type { Db } from "../store/database.js";
import { recordIntents, setMoveMethod, settleMoves, type MoveIntent, type MoveOutcome } from "../store/moves.js";
import { MoveRefused, firstMissingDir, moveOnDisk, removeEmptyParents } from "./disk.js";
import { diskFingerprint } from "./fingerprint-check.js";
import type { MoveResult } from "./types.js";

const CHUNK = 500;
let inFlight = 0;

/** Whether this process is moving books right now (recovery must then leave the journal alone). */
export function movesInFlight(): boolean {
  return inFlight > 0;
}

export interface ExecuteOptions {
  forceCopy: boolean;
  /** Stored file lists of each book (JSON as in the books table), to recompute a copied book's fingerprint. */
  bookFiles: Map<number, { files: string; sidecars: string }>;
  onProgress?: (done: number, total: number) => void;
}

export function executeMoves(db: Db, batchId: number, intents: Omit<MoveIntent, "created_dir">[], options: ExecuteOptions): MoveResult[] {
  const results: MoveResult[] = [];
  inFlight++;
  // Intents must be on disk before the renames they announce: a full sync per commit (two per chunk).
  const previous = db.pragma("synchronous", { simple: true }) as number;
  db.pragma("synchronous = FULL");
  try {
    for (let start = 0; start < intents.length; start += CHUNK) {
      const chunk = intents.slice(start, start + CHUNK).map((m) => ({ ...m, created_dir: firstMissingDir(path.dirname(m.to_path)) }));
      const ids = recordIntents(db, batchId, chunk);
      const outcomes: MoveOutcome[] = [];
      const vacated = new Map<string, string>();
      for (let i = 0; i < chunk.length; i++) {
        const move = chunk[i];
        const id = ids[i];
        let method: MoveResult["method"] = null;
        try {
          method = moveOnDisk(
            { id, from: move.from_path, to: move.to_path, kind: movedEntryKind(move) },
            { forceCopy: options.forceCopy, onCopy: () => setMoveMethod(db, id, "copy") },
          );
          const outcome: MoveOutcome = { id, state: "done" };
          if (method === "copy") outcome.fingerprint = copiedFingerprint(move, options) ?? undefined;
          outcomes.push(outcome);
          vacated.set(path.dirname(move.from_path), move.root_from);
          results.push(result(move, id, method, null));
        } catch (error) {
          if (move.created_dir) removeEmptyParents(path.dirname(move.to_path), path.dirname(move.created_dir));
          const message = (error as Error).message;
          outcomes.push({ id, state: error instanceof MoveRefused ? "rolled_back" : "failed", error: message });
          results.push(result(move, id, method, message));
        }
      }
      settleMoves(db, outcomes);
      // Only after the chunk is settled: a rollback above relies on folders it did not create staying put.
      for (const [dir, root] of vacated) removeEmptyParents(dir, root);
      options.onProgress?.(Math.min(start + CHUNK, intents.length), intents.length);
    }
  } finally {
    db.pragma(`synchronous = ${previous}`);
    inFlight--;
  }
  return results;
}

/** What is renamed on disk: a single-file book's file also when it is undone out of the folder it was given. */
export function movedEntryKind(move: Pick<MoveIntent, "kind_from" | "from_path" | "book_from">): "folder" | "file" {
  return move.kind_from === "file" || move.from_path !== move.book_from ? "file" : "folder";
}

function copiedFingerprint(move: Omit<MoveIntent, "created_dir">, options: ExecuteOptions): string | null {
  const stored = options.bookFiles.get(move.book_id);
  if (!stored) return null;
  const files = JSON.stringify((JSON.parse(stored.files) as { path: string; size: number }[]).map((f) => ({ ...f, path: remap(move, f.path) })));
  const sidecars = JSON.stringify((JSON.parse(stored.sidecars) as string[]).map((p) => remap(move, p)));
  return diskFingerprint({ path: move.book_to, kind: move.kind_to, files, sidecars });
}

function remap(move: Pick<MoveIntent, "from_path" | "to_path">, p: string): string {
  if (p === move.from_path) return move.to_path;
  return p.startsWith(move.from_path + path.sep) ? move.to_path + p.slice(move.from_path.length) : p;
}

function result(move: Omit<MoveIntent, "created_dir">, id: number, method: MoveResult["method"], error: string | null): MoveResult {
  return { move_id: id, book_id: move.book_id, from: move.book_from, to: move.book_to, method, error };
}
