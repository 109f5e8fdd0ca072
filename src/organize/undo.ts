/**
 * `undo`: moves books back where an apply found them, through the same
 * journal, and locks them against being proposed again. Each move is checked
 * first and refused with a reason when it cannot be undone safely.
 */
import fs from "node:fs";
import path from "node:path";
import { acquireDataLock } from "../store/data-lock.js";
import { isSkippedName } from "../library/book-detect.js";
import { bookUnder, getBook } from "../store/books.js";
import { companionPairs, finishBatch, getMove, lastAppliedMoves, listMoves, setAsideApplied, recordIntents, settleMoves, startBatch, type MoveIntent, type MoveRow } from "../store/moves.js";
import { lockWaitMs, type LockOptions } from "./apply.js";
import { sameEntryRespelled } from "./case-rename.js";
import { copyForced, lexists, staysInside } from "./disk.js";
import { executeMoves, movedEntryKind } from "./execute.js";
import { journaledCompanions } from "./companion-names.js";
import { dataFolderInside, dataFolderPlaces, foldersHoldingData } from "./data-folder-check.js";
import { contentsProblem, isRestrictedType } from "./book-contents.js";
import { fileSystemTypes } from "./fuse-check.js";
import { changedFilesWords, diskFingerprint, unreachableWords } from "./fingerprint-check.js";
import { addedSinceMoveError, unscannedInFolder } from "./folder-check.js";
import { PermissionCheck } from "./permission-check.js";
import { recoverInterrupted } from "./recovery.js";
import type { OrganizeContext, UndoRefusal, UndoReport, UndoSetAside, UndoSettled } from "./types.js";
import { sentence } from "../domain/command-advice.js";

const MOVED_OUTSIDE = sentence`book #${0} was moved since outside shelfwise (a scan found it at ${1}); move it back to ${2} and run \`shelfwise scan\`, then undo move ${3} again; or move it to ${4} yourself`;
const NOT_FOUND = sentence`book #${0} was not found by the last scan (it was at ${1}); if it is somewhere else, put it back there and run \`shelfwise scan\`, then undo move ${2} again (a deleted book cannot be moved back)`;
const NOT_THERE = sentence`${0} is not there any more; run \`shelfwise scan\` (it finds where the book went, if it is still in the library)`;
const NOW_A = sentence`${0} is a ${1} now, not the book's ${2}; move it away and put the book back there (or run \`shelfwise scan\`)`;
// The copy's remainder (the system refused to remove it): said again with the move's own words of what stayed.
const TAKEN_BY_REMAINDER = sentence`the old place ${0} is taken by what move ${1} could not remove there after its copy (\`shelfwise history\` names it; the book is whole at ${2}); move that away first (nothing is ever overwritten)`;
const COMPANION_TAKEN_BY_REMAINDER = sentence`the old place ${0} of a file that moved with the book is taken by what move ${1} could not remove there after its copy (\`shelfwise history\` names it; the book is whole at ${2}); move that away first (nothing is ever overwritten)`;

export interface UndoOptions extends LockOptions {
  /** Journal ids of applied moves (`history` lists them). */
  ids?: number[];
  /**
   * The last N applied moves not yet undone. One whose book was moved back by hand is journaled as undone; one whose
   * book was moved away outside shelfwise (found elsewhere or missing by a scan) is set aside, once: not counted, and
   * passed over by later runs while it stays away.
   */
  last?: number;
  forceCopy?: boolean;
  /**
   * Judge every move as an undo would and report it, touching nothing: no lock, no recovery, no journal row, no
   * file. `moved` lists what would move back (move_id null), `settled` and `set_aside` what would be journaled
   * (undo_id null), `refused` what would be refused, with the same words.
   */
  dryRun?: boolean;
  onProgress?: (done: number, total: number) => void;
  /** Called once the refusals are decided, right before the first move back (tests change the disk there, as a race would). */
  beforeMoves?: () => void;
  /**
   * Called once every move asked of is judged, before anything is written: how many will move back, and each one
   * refused with its reason (the words `undo` prints). A web undo tells them while it runs, as an apply its checks.
   */
  onChecked?: (checked: { toMove: number; refused: readonly UndoRefusal[] }) => void;
}

export async function undoMoves(ctx: OrganizeContext, options: UndoOptions): Promise<UndoReport> {
  // A dry run writes nothing, so it neither waits for nor blocks a writer (as apply's dry run).
  const lock = options.dryRun ? null : await acquireDataLock(ctx.dataDir, { command: "undo", waitMs: lockWaitMs(ctx, options), onWait: options.onWait });
  try {
    const recovered = options.dryRun ? [] : recoverInterrupted(ctx.db);
    const refused: UndoRefusal[] = [];
    const moves: MoveRow[] = [];
    const fromLast = new Set<number>();
    if (options.last !== undefined) {
      for (const move of lastUndoable(ctx, options.last)) {
        moves.push(move);
        fromLast.add(move.id);
      }
    }
    for (const id of options.ids ?? []) {
      const journaled = getMove(ctx.db, id);
      const move = journaled && inRenamedLibrary(ctx, journaled);
      if (!move) refused.push({ move_id: id, book_id: null, reason: `no move with id ${id}; \`shelfwise history\` lists them` });
      else if (!moves.some((m) => m.id === id)) moves.push(move);
      // Named by id: explained (refused with what to do), never set aside.
      fromLast.delete(id);
    }
    // Newest first: a later move may have taken a place an earlier one left.
    moves.sort((a, b) => b.id - a.id);
    const intents: Omit<MoveIntent, "created_dir">[] = [];
    const bookFiles = new Map<number, { files: string; sidecars: string }>();
    const inside = staysInsideOnce();
    const types = fileSystemTypes();
    const permissions = new PermissionCheck(copyForced(options.forceCopy));
    const byHand: MoveRow[] = [];
    const away: { move: MoveRow; reason: string }[] = [];
    for (const move of moves) {
      if (backByHand(ctx, move)) {
        byHand.push(move);
        continue;
      }
      const reason = lookedAt(move, () => refusal(ctx, move, intents, inside, permissions, types));
      if (reason && fromLast.has(move.id) && movedAway(ctx, move)) {
        away.push({ move, reason });
        continue;
      }
      if (reason) {
        refused.push({ move_id: move.id, book_id: move.book_id, reason });
        continue;
      }
      const book = getBook(ctx.db, move.book_id)!;
      bookFiles.set(book.id, { files: book.files, sidecars: book.sidecars });
      intents.push(undoIntent(move, book.fingerprint));
    }
    options.onChecked?.({ toMove: intents.length, refused });
    if (options.dryRun) {
      return {
        dry_run: true,
        batch_id: null,
        moved: intents.map((intent) => ({ move_id: null, book_id: intent.book_id, from: intent.book_from, to: intent.book_to, method: null, error: null, left_behind: null, companions: journaledCompanions(intent.companions) })),
        failed: [],
        refused,
        settled: byHand.map((move) => ({ move_id: move.id, book_id: move.book_id, undo_id: null, note: `${backAlready(move)}: would be recorded as undone; nothing to move` })),
        set_aside: away.map(({ move, reason }) => ({ move_id: move.id, book_id: move.book_id, undo_id: null, reason })),
        recovered,
      };
    }
    if (intents.length === 0 && byHand.length === 0 && away.length === 0) return { dry_run: false, batch_id: null, moved: [], failed: [], refused, settled: [], set_aside: [], recovered };
    const batchId = startBatch(ctx.db, "undo", intents.length + byHand.length + away.length);
    const settled = settleByHand(ctx, batchId, byHand);
    const setAside = setAsideAway(ctx, batchId, away);
    if (intents.length === 0) {
      finishBatch(ctx.db, batchId);
      return { dry_run: false, batch_id: batchId, moved: [], failed: [], refused, settled, set_aside: setAside, recovered };
    }
    options.beforeMoves?.();
    const results = await executeMoves(ctx.db, batchId, intents, { forceCopy: copyForced(options.forceCopy), bookFiles, onProgress: options.onProgress });
    finishBatch(ctx.db, batchId);
    return { dry_run: false, batch_id: batchId, moved: results.filter((r) => r.error === null), failed: results.filter((r) => r.error !== null), refused, settled, set_aside: setAside, recovered };
  } finally {
    lock?.release();
  }
}

/**
 * The words that open the error of the undo row recording a move set aside by
 * `undo --last` (its book moved away outside shelfwise): later runs find the
 * row by them and pass the move over while the book stays away.
 */
const SET_ASIDE = "set aside by `undo --last`";

const BY_HAND_NOTE = "moved back by hand (a scan found the book at its old place); journaled as undone, nothing moved";

/** The applied moves `undo --last` passes over for being set aside before (their books still away): what "nothing to undo" names. */
export function passedOver(ctx: OrganizeContext): { count: number; move_ids: number[] } {
  return setAsideApplied(ctx.db, SET_ASIDE);
}

/**
 * The book of an applied move is away from where the move put it, by no
 * shelfwise move: a scan found it elsewhere or missing, or it left the
 * database. Only the user can bring it back; an undo of this move is refused
 * until then.
 */
function movedAway(ctx: OrganizeContext, move: MoveRow): boolean {
  return move.kind === "apply" && move.state === "done" && move.undone_by === null && leftOutside(ctx, move);
}

/**
 * Journals each move `undo --last` met whose book was moved away outside
 * shelfwise, once, by an undo row that moved nothing (state failed, its error
 * saying why): it was refused, exit 1, on every `--last` run, forever. The
 * applied move stays not undone: `undo ID` still explains it, and undoes it
 * once the book is back where the move put it (and scanned).
 */
function setAsideAway(ctx: OrganizeContext, batchId: number, away: { move: MoveRow; reason: string }[]): UndoSetAside[] {
  if (away.length === 0) return [];
  const ids = recordIntents(ctx.db, batchId, away.map(({ move }) => ({ ...undoIntent(move, move.fingerprint), created_dir: null })));
  settleMoves(ctx.db, ids.map((id, i) => ({ id, state: "failed", error: `${SET_ASIDE}: ${away[i]!.reason}` })));
  return away.map(({ move, reason }, i) => ({ move_id: move.id, book_id: move.book_id, undo_id: ids[i]!, reason }));
}

/** Whether an earlier `undo --last` set `move` aside (see SET_ASIDE). */
function setAsideBefore(ctx: OrganizeContext, move: MoveRow): boolean {
  return listMoves(ctx.db, { bookId: move.book_id }).some((m) => m.undoes === move.id && m.state === "failed" && m.error?.startsWith(SET_ASIDE) === true);
}

function undoIntent(move: MoveRow, fingerprint: string): Omit<MoveIntent, "created_dir"> {
  return {
    kind: "undo",
    book_id: move.book_id,
    book_from: move.book_to,
    book_to: move.book_from,
    kind_from: move.kind_to,
    kind_to: move.kind_from,
    root_from: move.root_to,
    root_to: move.root_from,
    from_path: move.to_path,
    to_path: move.from_path,
    fingerprint,
    undoes: move.id,
    companions: move.companions,
  };
}

/**
 * An applied move, not undone, whose book a scan found back at its old place
 * (the user moved it back by hand): what an undo would have done is done.
 */
function backByHand(ctx: OrganizeContext, move: MoveRow): boolean {
  if (move.kind !== "apply" || move.state !== "done" || move.undone_by !== null) return false;
  const book = getBook(ctx.db, move.book_id);
  if (book === undefined || book.status === "missing" || book.path !== move.book_from || move.book_from === move.book_to) return false;
  // A later move of the book stands between: this one is not what the hand undid.
  return lexists(move.from_path) && !lexists(move.to_path) && laterMove(ctx, move) === undefined;
}

/**
 * Journals each move whose book is back by hand as undone, by an undo row
 * that moved nothing (its note says so), as an undo would have: the book
 * locked against being proposed again. It was refused instead, on every
 * `undo --last` run, exit 1 each time, and no run could ever settle it.
 */
function settleByHand(ctx: OrganizeContext, batchId: number, moves: MoveRow[]): UndoSettled[] {
  if (moves.length === 0) return [];
  const ids = recordIntents(ctx.db, batchId, moves.map((move) => ({ ...undoIntent(move, getBook(ctx.db, move.book_id)!.fingerprint), created_dir: null })));
  settleMoves(ctx.db, ids.map((id) => ({ id, state: "done", error: BY_HAND_NOTE })));
  return moves.map((move, i) => ({
    move_id: move.id,
    book_id: move.book_id,
    undo_id: ids[i]!,
    note: `${backAlready(move)}: recorded as undone by move ${ids[i]}; nothing moved`,
  }));
}

function backAlready(move: MoveRow): string {
  return `book #${move.book_id} is back at its old place ${move.book_from} already (moved back by hand, found there by a scan)`;
}

/**
 * `--last N`: the N newest applied moves not undone, not counting those whose
 * book is no longer where the move put it without a later shelfwise move to
 * explain it (back at its old place by hand, moved outside shelfwise, gone from
 * the database). Those are still returned, to be refused with their reason, but
 * no longer take the place of the moves before them: they did, and `--last 1`
 * refused the same move on every run, never reaching the ones before it.
 */
function lastUndoable(ctx: OrganizeContext, count: number): MoveRow[] {
  const found: MoveRow[] = [];
  let counted = 0;
  let before: number | undefined;
  while (counted < count) {
    const page = lastAppliedMoves(ctx.db, count - counted, before);
    if (page.length === 0) break;
    for (const journaled of page) {
      const move = inRenamedLibrary(ctx, journaled);
      const outside = leftOutside(ctx, move);
      // Said once, by the run that set it aside; passed over since while its book stays away.
      if (outside && !backByHand(ctx, move) && setAsideBefore(ctx, move)) continue;
      found.push(move);
      if (!outside) counted++;
    }
    before = page[page.length - 1]!.id;
  }
  return found;
}

/**
 * `move` as it reads in the library folder it was made in, renamed or moved since (`/media/Audiobooks` to
 * `/media/Books`): a scan recognized the book under the new folder (same id), at the same place within it, and the
 * old folder is gone. Undo then moves the book back within the new folder, to the same place the move took it from
 * (its old library folder being the same one; from another folder, such as a library folder `apply` emptied into
 * output_path, it goes back there), with every check as for any move. It was set aside as "moved outside
 * shelfwise", told to go back into a folder that no longer exists. The journal keeps the move as it was made; the
 * undo row names the new places. A library folder still there (a copy beside it) is not this: the move stays its own.
 */
function inRenamedLibrary(ctx: OrganizeContext, move: MoveRow): MoveRow {
  if (move.kind !== "apply" || move.state !== "done" || move.undone_by !== null) return move;
  const book = getBook(ctx.db, move.book_id);
  if (book === undefined || book.status === "missing" || book.library_root === move.root_to || lexists(move.root_to)) return move;
  const under = (p: string, root: string) => p.startsWith(root + path.sep);
  if (!under(move.book_to, move.root_to) || !under(move.to_path, move.root_to)) return move;
  const moved = (p: string) => book.library_root + p.slice(move.root_to.length);
  if (book.path !== moved(move.book_to)) return move;
  const sameFolder = move.root_from === move.root_to && under(move.book_from, move.root_from) && under(move.from_path, move.root_from);
  return {
    ...move,
    root_to: book.library_root,
    to_path: moved(move.to_path),
    book_to: book.path,
    ...(sameFolder ? { root_from: book.library_root, from_path: moved(move.from_path), book_from: moved(move.book_from) } : {}),
  };
}

/**
 * The book of `move` is elsewhere than the move put it, and no later applied
 * move (not undone) took it there; or a scan found it gone from there (moved
 * out of the library by hand, or deleted).
 */
function leftOutside(ctx: OrganizeContext, move: MoveRow): boolean {
  const book = getBook(ctx.db, move.book_id);
  if (!book) return true;
  if (book.path === move.book_to) return book.status === "missing";
  return !laterMove(ctx, move);
}

/** The later applied move of the same book, not undone, if any. */
function laterMove(ctx: OrganizeContext, move: MoveRow): MoveRow | undefined {
  return listMoves(ctx.db, { bookId: move.book_id }).find((m) => m.id > move.id && m.kind === "apply" && m.state === "done" && m.undone_by === null);
}

/**
 * The refusal, or why this user may not even look at the places a move back
 * needs (a folder on the way it may not search): that book is refused, the
 * others are undone.
 */
function lookedAt(move: MoveRow, judge: () => string | null): string | null {
  try {
    return judge();
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    if (err.code !== "EACCES" || !err.path) throw error;
    return `permission denied: this user may not look into ${unsearchable(path.dirname(err.path))}; give it access there (or move the book back by hand) and run the command again; the book stays at ${move.book_to}`;
  }
}

/** The outermost folder at or above `dir` this user may not search (look into), else `dir`. */
function unsearchable(dir: string): string {
  let found = dir;
  for (let at = dir; ; at = path.dirname(at)) {
    try {
      fs.accessSync(at, fs.constants.X_OK);
    } catch {
      found = at;
    }
    if (path.dirname(at) === at) return found;
  }
}

/**
 * The nearest existing entry at or above `dir`, below the library folder
 * `root`, when it is not a folder (the way back is blocked), else null. The
 * library folder itself may be a link (to a mounted drive): staysInside
 * judged it, and the way below it.
 */
function fileInTheWay(dir: string, root: string): string | null {
  for (let at = dir; at !== root && at.startsWith(root + path.sep); at = path.dirname(at)) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.lstatSync(at, { throwIfNoEntry: false });
    } catch (error) {
      // ENOTDIR: a file further up; that is the one to name.
      if ((error as NodeJS.ErrnoException).code !== "ENOTDIR") throw error;
    }
    if (stat !== undefined) return stat.isDirectory() ? null : at;
  }
  try {
    return fs.statSync(root).isDirectory() ? null : root;
  } catch {
    // Gone (an unmounted drive): staysInside refused that already.
    return null;
  }
}

/**
 * For a single file taken out of the folder apply made for it: what else that
 * folder holds now (files put there since, which would be cut off from the
 * book and left in a folder of its old name). Names a scan skips (dot files,
 * NAS junk) are not counted: they are no part of a book anywhere.
 */
function strayFiles(move: MoveRow): string[] {
  if (move.kind_from !== "file" || move.kind_to !== "folder") return [];
  const own = new Set([path.basename(move.to_path), ...companionPairs(move).map((pair) => path.basename(pair.to))]);
  let names: string[];
  try {
    names = fs.readdirSync(path.dirname(move.to_path));
  } catch {
    return [];
  }
  return names.filter((name) => !own.has(name) && !isSkippedName(name)).sort();
}

/**
 * staysInside, asked once per folder and library folder of one undo: books
 * share their author folders and their inbox, and each answer costs two
 * realpath calls. Nothing moves while the refusals are decided.
 */
function staysInsideOnce(): (dir: string, root: string) => boolean {
  const known = new Map<string, boolean>();
  return (dir, root) => {
    const key = `${root}\0${dir}`;
    let inside = known.get(key);
    if (inside === undefined) known.set(key, (inside = staysInside(dir, root)));
    return inside;
  };
}

/**
 * Why a book recorded elsewhere than where `move` put it cannot be moved back,
 * and what to do. It said "undo the later move first" also when no later move
 * was journaled (the book moved by hand, and a scan found it): there was none.
 */
function movedSince(ctx: OrganizeContext, move: MoveRow, now: string): string {
  if (now === move.book_from) return `book #${move.book_id} is back at its old place ${now} already (a scan found it there); there is nothing to undo`;
  const later = laterMove(ctx, move);
  if (later) return `book #${move.book_id} was moved again since, by move ${later.id} (it is now at ${now}); undo move ${later.id} first`;
  return MOVED_OUTSIDE(move.book_id, now, move.book_to, move.id, move.book_from);
}

function refusal(
  ctx: OrganizeContext,
  move: MoveRow,
  planned: Omit<MoveIntent, "created_dir">[],
  inside: (dir: string, root: string) => boolean,
  permissions: PermissionCheck,
  types: (at: string) => string | null,
): string | null {
  if (move.kind !== "apply") return `move ${move.id} is itself an undo; \`shelfwise apply\` proposes the book again once unlocked`;
  if (move.state !== "done") return `move ${move.id} did not happen (${move.state.replace("_", " ")}); there is nothing to undo`;
  if (move.undone_by !== null) return `move ${move.id} was already undone (by move ${move.undone_by})`;
  const later = planned.find((p) => p.book_id === move.book_id);
  // Each move back is judged against the disk as it is before any of them: this one can only follow once the later one is done.
  if (later) return `book #${move.book_id} is first moved back by the later move ${later.undoes} in this undo; then run \`shelfwise undo ${move.id}\` to move it back further`;
  const book = getBook(ctx.db, move.book_id);
  if (!book) return `book #${move.book_id} is no longer in the database`;
  if (book.path !== move.book_to) return movedSince(ctx, move, book.path);
  // It said "run `shelfwise scan`" here too, after the scan that found it gone: another scan finds nothing new.
  if (book.status === "missing") {
    return NOT_FOUND(book.id, move.to_path, move.id);
  }
  // A library folder renamed, moved or not mounted: "run scan" would not help (a scan cannot read it either, and one of
  // the new name finds the books as new ones), and undo moves books only within the folders they were moved in.
  for (const root of new Set([move.root_to, move.root_from])) {
    if (!lexists(root)) {
      return `the library folder ${root} is not there any more (renamed, moved away, or a drive not mounted?); undo moves a book back only within the library folders it was moved in: put that folder back (or mount it) and undo move ${move.id} again; renamed or moved, scan it under its new name (\`shelfwise scan NEW-FOLDER\`), then undo moves the book back within it; or move the book back by hand`;
    }
  }
  if (!lexists(move.to_path)) return NOT_THERE(move.to_path);
  // The book's folder replaced by a link (to files moved out of the library): undo would take files from outside into
  // the library, or put a link where the book was. Apply's plan holds a book reached through a link the same way.
  const now = fs.lstatSync(move.to_path);
  if (now.isSymbolicLink() || !inside(path.dirname(move.to_path), move.root_to)) {
    return `${move.to_path} is reached through a link or lies outside the library folder ${move.root_to} now; shelfwise moves only what is really inside the library`;
  }
  // Said as it is, rather than as "files changed": the fingerprint below cannot tell a folder turned file from an edit.
  const entry = movedEntryKind({ kind_from: move.kind_to, from_path: move.to_path, book_from: move.book_to });
  if (entry === "folder" && !now.isDirectory()) {
    return NOW_A(move.to_path, "file", "folder");
  }
  if (entry === "file" && now.isDirectory()) {
    return NOW_A(move.to_path, "folder", "file");
  }
  const data = entry === "folder" ? dataFolderInside(foldersHoldingData(ctx.dataDir), ctx.dataDir, move.to_path) : null;
  if (data !== null) return data;
  // A link into the data folder put in the book since: copied back, shelfwise would carry it (plan and apply hold such a
  // book when they copy). A move that was a copy is copied back; a rename is renamed back and walks nothing. A copy back
  // onto vfat/exFAT/NTFS checks the names that disk refuses, as plan does for a copy onto one: a file put in the book
  // since (and scanned, so the fingerprint agrees) would otherwise fail the copy back midway.
  const copyBack = move.method === "copy";
  const oldType = copyBack && entry === "folder" ? types(path.dirname(move.from_path)) : null;
  const linked =
    entry === "folder"
      ? contentsProblem(move.to_path, {
          copy: copyBack,
          restrictedTarget: oldType !== null && isRestrictedType(oldType) ? oldType : null,
          dataPlaces: dataFolderPlaces(ctx.dataDir),
        })
      : null;
  if (linked !== null) return linked.reason.replace("(nothing moved)", "(nothing was moved back)");
  // A book folder put inside this one since (a scan keeps both books): moving it back would carry that book along.
  const inner = entry === "folder" ? bookUnder(ctx.db, move.to_path) : undefined;
  if (inner !== undefined) {
    return `${move.to_path} holds another book now (#${inner.id} at ${inner.path}); moving it back would take that book along: move it out first (or move both back by hand)`;
  }
  const remainder = move.method === "copy" && move.error !== null;
  // Where the file system folds names, a change of case is undone through a temporary name (case-rename.ts).
  if (lexists(move.from_path) && !sameEntryRespelled(move.to_path, move.from_path)) {
    return remainder ? TAKEN_BY_REMAINDER(move.from_path, move.id, move.to_path) : `the old place ${move.from_path} is taken; move that away first (nothing is ever overwritten)`;
  }
  if (!inside(path.dirname(move.from_path), move.root_from)) {
    return `the way back to ${move.from_path} leads through a link or out of the library folder ${move.root_from}; shelfwise never follows links out of the library`;
  }
  // The files that moved with a single file go back beside it: each old place must be free too.
  for (const pair of companionPairs(move)) {
    if (lexists(pair.from)) {
      return remainder ? COMPANION_TAKEN_BY_REMAINDER(pair.from, move.id, move.to_path) : `the old place ${pair.from} of a file that moved with the book is taken; move that away first (nothing is ever overwritten)`;
    }
  }
  const blocker = fileInTheWay(path.dirname(move.from_path), move.root_from);
  if (blocker !== null) return `${blocker} is a file where the old place needs a folder; move it away first (nothing is ever overwritten)`;
  const strays = strayFiles(move);
  if (strays.length > 0) {
    const list = strays.slice(0, 5).join(", ") + (strays.length > 5 ? ` and ${strays.length - 5} more` : "");
    return `${move.book_to} now holds files that did not move with the book (${list}); undo would leave them behind there: move them out first (or move the book back by hand, with them)`;
  }
  const onDisk = diskFingerprint(book);
  // A folder closed to this user since: the files did not change, and no rescan would help.
  const unreachable = onDisk === null ? unreachableWords(book) : null;
  if (unreachable !== null) return unreachable.replace("nothing was moved", "nothing was moved back");
  if (onDisk !== book.fingerprint || (move.method !== "copy" && book.fingerprint !== move.fingerprint)) {
    // On disk as the last scan recorded them: that scan, after the move, is what found them changed.
    const what = onDisk === book.fingerprint ? " (a scan since the move found files added, removed, edited or renamed)" : changedFilesWords(book) || " (files added, removed, edited or renamed)";
    return `the book's files changed since it was moved${what}; move it back by hand or rescan and apply again`;
  }
  // Files the fingerprint does not cover (it stats the scanned ones only): put in since, they did not move with it.
  const added = move.kind_to === "folder" ? unscannedInFolder(book) : [];
  if (added.length > 0) return addedSinceMoveError(added);
  // Refused here, before anything moves back, rather than failed half-way through the run.
  return permissions.refusal({
    bookId: move.book_id,
    from: move.to_path,
    to: move.from_path,
    kind: movedEntryKind({ kind_from: move.kind_to, from_path: move.to_path, book_from: move.book_to }),
    companions: () => companionPairs(move).map((pair) => pair.to),
  });
}
