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
import { finishCopy, lexists, linkOnTheWay, partialPath, removeBelow, removeEmptyParents, removeOwnCopy, sameInode, unremovableWords } from "./disk.js";
import { caseTemps } from "./case-rename.js";
import { movedEntryKind, movesInFlight } from "./execute.js";
import { diskFingerprint } from "./fingerprint-check.js";
import type { RecoveredMove } from "./types.js";
import { tellRecovered } from "./recovery-listeners.js";
import { hasUnendedBatch, markCutShortBatches } from "../store/cut-short-batches.js";
import fs from "node:fs";
import { sentence } from "../domain/command-advice.js";

const UNSETTLED = sentence`recovery could not settle the move (${0}); the book's files are left at ${1} or ${2}: fix that, then run \`shelfwise scan\``;
const NOT_PLAINLY = sentence`${0}; the book is not plainly at ${1} nor at ${2}: nothing was moved or removed; put the folder back (or move the book by hand) and run \`shelfwise scan\``;
const FINISHED_COMPANIONS_LEFT = sentence`${0}; the book is at ${1}; nothing was removed at ${2}; the files that move with the book were left where they are (run \`shelfwise scan\`)${3}`;
const ROLLED_BACK_COMPANIONS_LEFT = sentence`${0}; the book stays at ${1}; nothing was moved or removed at ${2}; the files that move with the book were left where they are (run \`shelfwise scan\`)`;
const AT_NEITHER = sentence`the book is at neither ${0} nor ${1}; run \`shelfwise scan\``;

export { onRecovery } from "./recovery-listeners.js";

/**
 * For every command that opens the database: settles interrupted moves when
 * there are any and the data-folder lock is free (a holder may be moving
 * them right now). Cheap when there is nothing to do: one indexed query.
 */
export function recoverAtOpen(db: Db, dataDir: string): RecoveredMove[] {
  if (movesInFlight() || (!hasOpenMoves(db) && !hasUnendedBatch(db))) return [];
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
    tellRecovered(recovered);
    return recovered;
  } finally {
    lock.release();
  }
}

/** Settles every interrupted move. The caller holds the data-folder lock. */
export function recoverInterrupted(db: Db): RecoveredMove[] {
  const out = settleOpenMoves(db);
  // Settled, the runs those moves were part of are told as cut short (status, history, the web app), as is one killed
  // between two moves (no move open): under the lock, no run of ours is going on.
  // An apply of this process between its batch's start and its moves (a `serve`) is not one.
  if (!movesInFlight()) {
    try {
      markCutShortBatches(db);
    } catch {
      // A database that cannot be written now (a read-only copy, a full disk): the next command that can marks it;
      // never a reason for this one to fail.
    }
  }
  return out;
}

function settleOpenMoves(db: Db): RecoveredMove[] {
  const out: RecoveredMove[] = [];
  for (const move of openMoves(db)) {
    let decided: Decided;
    try {
      decided = decide(move);
    } catch (error) {
      decided = {
        outcome: "failed",
        error: UNSETTLED((error as Error).message, move.from_path, move.to_path),
        cleanFrom: false,
      };
    }
    const settled: MoveOutcome = {
      id: move.id,
      state: decided.outcome === "finished" ? "done" : decided.outcome === "rolled_back" ? "rolled_back" : "failed",
      error: decided.error ?? (decided.outcome === "rolled_back" ? "interrupted; rolled back by recovery" : null),
      recovered: true,
    };
    if (decided.outcome === "finished" && move.method === "copy") settled.fingerprint = fingerprintAfter(db, move) ?? undefined;
    settleMoves(db, [settled]);
    if (decided.outcome === "finished" && decided.cleanFrom) removeEmptyParents(path.dirname(move.from_path), move.root_from, move.root_from);
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

interface Decided {
  outcome: RecoveredMove["outcome"];
  error: string | null;
  /** Whether the old place's emptied folders may be removed (no link on the way to it). */
  cleanFrom: boolean;
}

/** Where each place of a move is reached through a link now (null: plainly), asked before either is touched. */
interface Links {
  from: string | null;
  to: string | null;
}

function decide(move: MoveRow): Decided {
  const links: Links = { from: linkOnTheWay(move.from_path, move.root_from), to: linkOnTheWay(move.to_path, move.root_to) };
  if (links.from !== null || links.to !== null) return decideBesideLinks(move, links);
  const decided = decideMain(move);
  if (!move.companions) return { ...decided, cleanFrom: true };
  // The audio file decided where the book is: its companions go there too (back to the old place unless it finished).
  let left: string | null;
  try {
    left = settleCompanions(companionPairs(move), decided.outcome === "finished", move.method === "copy", { from: move.root_from, to: move.root_to });
  } catch (error) {
    left = `companions not all settled: ${(error as Error).message}`;
  }
  if (decided.outcome === "rolled_back" && move.created_dir) removeEmptyParents(path.dirname(move.to_path), path.dirname(move.created_dir), move.root_to);
  return { outcome: decided.outcome, error: left === null ? decided.error : decided.error ? `${decided.error}; ${left}` : left, cleanFrom: true };
}

/**
 * A folder on the way to one place of the move (or the book itself) was
 * replaced by a symbolic link after the crash. Whatever is reached through
 * it is not the library's: recovery acts only on the plain side, as apply's
 * and undo's renames do (refuseLinks, openat2 below the library folder).
 * Nothing is moved, copied or removed through the link, so a link to a
 * backup never has its files deleted as "the source of a finished copy",
 * a file outside is never carried in, nor one of the library's carried out,
 * and no emptied folder is removed outside the library. The book is settled
 * where it plainly is whole, and otherwise left as it is ("failed"), the
 * message naming the link.
 */
function decideBesideLinks(move: MoveRow, links: Links): Decided {
  const from = move.from_path;
  const to = move.to_path;
  const link = [links.from, links.to].filter((l): l is string => l !== null).join(" and ");
  const why = `${link} ${link.includes(" and ") ? "are symbolic links" : "is a symbolic link"} now (a folder replaced by a link since the move was interrupted), and shelfwise never follows links`;
  const leftAlone = (): Decided => ({
    outcome: "failed",
    error: NOT_PLAINLY(why, from, to),
    cleanFrom: false,
  });
  if (links.to === null) {
    // Only the old place is behind a link: the book is settled at its new place when it is whole there.
    // A rename is atomic, and a copy is renamed into place only once every file of it was checked.
    if (!lexists(to) || (move.method === "copy" && copyUnplaced(move))) return leftAlone();
    const leftover = move.method === "copy" ? removeOwnCopyIfPlain(partialPath(to, move.id), move.root_to) : null;
    const rest = leftover ? `; ${leftover}` : "";
    return { outcome: "finished", error: move.companions ? FINISHED_COMPANIONS_LEFT(why, to, from, rest) : `${why}; the book is at ${to}; nothing was removed at ${from}${rest}`, cleanFrom: false };
  }
  if (links.from !== null || !lexists(from)) return leftAlone();
  // Only the new place is behind a link, and the book is plainly at its old place. A rename is atomic, so it is
  // whole there; a copy's sources are removed only after the copy was placed: with something at the new place
  // (reached through the link) the old place may be partly removed, and is left as it is.
  if (move.method === "copy" && lexists(to)) return leftAlone();
  return { outcome: "rolled_back", error: move.companions ? ROLLED_BACK_COMPANIONS_LEFT(why, from, to) : `${why}; the book stays at ${from}; nothing was moved or removed at ${to}`, cleanFrom: false };
}

/**
 * Whether a copy is still in its hidden folder, never placed: then whatever
 * is at the new place is not it (made there since the crash) and must not be
 * taken for the book, nor the old files removed as its source. A folder
 * leaves the hidden folder in one rename; a file by a link then an unlink
 * (one inode under both names between them).
 */
function copyUnplaced(move: MoveRow): boolean {
  const partial = partialPath(move.to_path, move.id);
  const staged = movedEntryKind(move) === "folder" ? partial : path.join(partial, "file");
  return lexists(staged) && !sameInode(staged, move.to_path);
}

/**
 * Removes our hidden copy folder, unless it is a link (then it is not ours:
 * left alone). Returns the words for one that could not be removed (a
 * read-only mount since the crash), else null: it holds nothing the book
 * needs, so the move is settled all the same.
 */
function removeOwnCopyIfPlain(partial: string, root: string): string | null {
  try {
    const st = fs.lstatSync(partial, { throwIfNoEntry: false });
    // Removed beneath the library folder, no link followed on the way nor inside, whatever was swapped since this look.
    if (st?.isDirectory()) removeOwnCopy(partial, root);
    return null;
  } catch (error) {
    return `the unfinished copy ${partial} could not be removed (${unremovableWords((error as NodeJS.ErrnoException).code ?? "")}); it holds nothing the book needs: remove it by hand`;
  }
}

function decideMain(move: MoveRow): { outcome: RecoveredMove["outcome"]; error: string | null } {
  const from = move.from_path;
  const to = move.to_path;
  const rollBack = () => {
    if (move.created_dir) removeEmptyParents(path.dirname(to), path.dirname(move.created_dir), move.root_to);
    return { outcome: "rolled_back" as const, error: null };
  };
  if (move.method === "copy") {
    // Our own hidden folder: a copy that never reached its place. One that cannot be removed (a read-only mount
    // since the crash) holds nothing the book needs: the book is settled all the same, and the words name it.
    const partial = partialPath(to, move.id);
    const unplaced = copyUnplaced(move);
    const leftover = removeOwnCopyIfPlain(partial, move.root_to);
    const also = (decided: { outcome: RecoveredMove["outcome"]; error: string | null }) =>
      leftover === null ? decided : { outcome: decided.outcome, error: decided.error ? `${decided.error}; ${leftover}` : leftover };
    if (unplaced && lexists(to) && lexists(from)) {
      rollBack();
      return also({ outcome: "rolled_back", error: `${to} appeared since the move was interrupted and is not shelfwise's copy (that never reached its place); the book stays at ${from}; nothing at ${to} was touched` });
    }
    if (lexists(to)) return also({ outcome: "finished", error: finishCopy(from, to, movedEntryKind(move), move.root_from) });
    if (lexists(from)) return also(rollBack());
    return also({ outcome: "failed", error: AT_NEITHER(from, to) });
  }
  const respelled = decideRespelling(move);
  if (respelled !== null) return respelled;
  const atFrom = lexists(from);
  const atTo = lexists(to);
  if (atTo && !atFrom) return { outcome: "finished", error: null };
  if (atFrom && !atTo) return rollBack();
  if (atFrom && atTo && sameInode(from, to)) {
    // Linked but not yet unlinked: one file under two names. The new name holds the book whatever becomes of the
    // old one; an old name that cannot be removed (a mount made read-only since) is named, not a failed move.
    try {
      // Never through a folder swapped for a link since the look above: that would remove a file of this name elsewhere.
      removeBelow(from, move.root_from, false);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "";
      if (code !== "EROFS" && code !== "EACCES" && code !== "EPERM" && code !== "EBUSY" && code !== "ELOOP") throw error;
      return { outcome: "finished", error: `the old name ${from} could not be removed (${unremovableWords(code)}); it is the same file as ${to} (one file under two names, no space taken twice): remove it by hand` };
    }
    return { outcome: "finished", error: null };
  }
  if (atFrom && atTo) return { outcome: "failed", error: `both ${from} and ${to} exist; the book stays at ${from}, nothing was removed` };
  return { outcome: "failed", error: AT_NEITHER(from, to) };
}

/**
 * A rename by case alone (case-rename.ts): where the file system folds names,
 * both spellings "exist" whichever the book has, so the folder's listing says
 * which it is. Killed between the two renames, the book is at its temporary
 * name, and the move is finished from there. Null: not such a move, or the
 * listing holds both spellings (two folders: the plain checks decide).
 */
function decideRespelling(move: MoveRow): { outcome: RecoveredMove["outcome"]; error: string | null } | null {
  const from = move.from_path;
  const to = move.to_path;
  const dir = path.dirname(from);
  const fromName = path.basename(from);
  const toName = path.basename(to);
  if (path.dirname(to) !== dir || movedEntryKind(move) !== "folder" || !sameEntryFolded(fromName, toName)) return null;
  const temps = caseTemps(dir, move.id);
  let listed: string[];
  try {
    listed = fs.readdirSync(dir);
  } catch {
    return null;
  }
  const atFrom = listed.includes(fromName);
  const atTo = listed.includes(toName);
  if (temps.length === 0) {
    if (atFrom === atTo) return null;
    return atTo ? { outcome: "finished", error: null } : { outcome: "rolled_back", error: null };
  }
  const alike = listed.some((n) => n !== path.basename(temps[0]) && (n === fromName || sameEntryFolded(n, toName) || n === toName));
  if (temps.length === 1 && !alike && fs.lstatSync(temps[0]).isDirectory()) {
    fs.renameSync(temps[0], to);
    return { outcome: "finished", error: `interrupted between the two renames of a change of case; the book was renamed from its temporary name ${temps[0]} to ${to}` };
  }
  return { outcome: "failed", error: `interrupted during a change of case; ${temps.join(" and ")} ${temps.length > 1 ? "are" : "is"} left beside ${atTo ? to : from}: nothing was moved or removed; look inside, keep the book's folder, and run \`shelfwise scan\`` };
}

function sameEntryFolded(a: string, b: string): boolean {
  return a !== b && a.normalize("NFC").toLowerCase() === b.normalize("NFC").toLowerCase();
}

function fingerprintAfter(db: Db, move: MoveRow): string | null {
  const book = getBook(db, move.book_id);
  if (!book) return null;
  // settleMoves already moved the stored paths when it runs first; map either way.
  const files = JSON.stringify((JSON.parse(book.files) as { path: string; size: number }[]).map((f) => ({ ...f, path: movedPath(move, f.path) })));
  const sidecars = JSON.stringify((JSON.parse(book.sidecars) as string[]).map((p) => movedPath(move, p)));
  return diskFingerprint({ path: move.book_to, kind: move.kind_to, files, sidecars });
}
