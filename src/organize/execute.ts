/**
 * Runs journaled moves in chunks. A chunk's intents are committed and on
 * disk (the WAL synced on a worker thread: store/wal-sync.ts, or by the
 * rename batch's own thread just before its renames) before any of its books
 * is touched; then each book is moved;
 * then one transaction settles the chunk (outcomes and the books' new paths)
 * and writes the next chunk's intents, so a run costs one sync per chunk,
 * not two per book. Recovery decides each interrupted intent from the disk
 * alone, whether the kill came before, amid or after a chunk's renames.
 *
 * With the fs-batch addon, a chunk of folder books is renamed on a libuv
 * worker thread while this thread runs the journal step that settles the
 * chunk before and commits the intents of the chunk after. The crash-safety
 * argument is unchanged, because its two orderings hold per book: a rename
 * starts only once the step that committed its own intent has returned, and
 * a move is settled only by a step that starts after its rename returned.
 * A pair the batch could not rename changed nothing and is moved again one
 * by one (moveOnDisk), which tells refusal, a vanished source and another
 * file system apart. A failing journal step waits for the chunk's renames
 * before the error leaves, so no rename runs behind a recovery; their moves
 * stay at 'intent' and the next command settles them from the disk.
 *
 * Chunks are sized to take about CHUNK_MS each and the loop yields to the
 * event loop between them: the server runs apply as a job in its own
 * process and keeps answering (progress included) while books move. The
 * rest of a run is not left to one big last chunk: its renames would find
 * little journal work beside them, and its settling would run beside none.
 * It is split in two thirds and a third (nextChunkSize). The run's WAL is
 * checkpointed while the last chunk is renamed, once the journal has nothing
 * left to write but that chunk's outcomes; those few pages are left to
 * SQLite's automatic checkpoint, as after any other command.
 *
 * Renames are not followed by a folder fsync each: on journaling file
 * systems (ext4, xfs, btrfs, apfs) the WAL sync after the commit that
 * settles the chunk forces the metadata journal, renames included. Should a power loss
 * still lose a rename recorded as done, the book is whole at its old place
 * and the next scan recognizes it there by its files (same id and evidence).
 * Copies across file systems do fsync every file and folder: the source is
 * removed only after the copy is on disk.
 */
import fs from "node:fs";
import path from "node:path";
import type { Db } from "../store/database.js";
import { markMovesLeft } from "../store/moves-left.js";
import { openWalSync, type WalSync } from "../store/wal-sync.js";
import { companionPairs, journalStep, movedPath, setMoveMethod, type JournaledOutcome, type MoveIntent } from "../store/moves.js";
import { journaledCompanions } from "./companion-names.js";
import { withoutOptimizingCompiler } from "./compile-tier.js";
import { moveWithCompanions } from "./companions.js";
import { caseOnlyPair, renameByCase, sameEntryRespelled } from "./case-rename.js";
import { MoveRefused, firstMissingDir, moveOnDisk, refuseLinks, removeEmptyParents } from "./disk.js";
import { diskFingerprint } from "./fingerprint-check.js";
import { foldersLosingRenames } from "./fuse-check.js";
import { moveErrorText } from "./move-error.js";
import { canRenameMany, renameManyNoReplace } from "./native-fs.js";
import type { FolderKnowledge } from "./plan.js";
import type { MoveResult } from "./types.js";

/** How long one chunk should take (the longest the event loop waits), and the bounds of its size in books. */
const CHUNK_MS = 100;
const FIRST_CHUNK = 64;
const SECOND_CHUNK = 512;
const MIN_CHUNK = 8;
/**
 * The smallest a chunk of renames on the addon's thread is sized to after the first round (the second chunk's size).
 * On a loaded machine a round's time says more about the wait for a core than about the work, and CHUNK_MS cut the
 * chunks to 100-250 books: up to 21 journal steps in a 5,000-book run instead of 6-8, each a commit, a WAL sync and
 * the books' path index pages written again (aperf18, aperf20). 512 renames take ~25-60 ms idle: a stop (Ctrl-C, the
 * server's Stop) still comes within a fraction of a second under load.
 */
const MIN_RENAME_CHUNK = SECOND_CHUNK;
const MAX_CHUNK = 4000;
/** How much larger than the last one the next chunk may be. */
const GROWTH = 2;
/** Pages the WAL may grow to during a run before SQLite checkpoints (40 MB; the default is 1,000). */
const RUN_CHECKPOINT_PAGES = 10_000;
let inFlight = 0;
/** Set by stopMovesAtNextChunk: the run in flight stops at its next chunk boundary. */
let stopAsked = false;

/** Books the last run left where they were because it was asked to stop (0: it moved or tried every one). */
let notStartedByStop = 0;

/**
 * How many books the run that ended last did not start because of a stop
 * (stopMovesAtNextChunk): 0 when the stop came after its last chunk had
 * begun, and the run then did all it was asked (the CLI says so rather than
 * "interrupted").
 */
export function movesNotStartedByStop(): number {
  return notStartedByStop;
}

/** Whether this process is moving books right now (recovery must then leave the journal alone). */
export function movesInFlight(): boolean {
  return inFlight > 0;
}

/**
 * Ctrl-C during apply or undo: the run stops where it next gives the event
 * loop a turn (the only moment a signal handler runs anyway), between two
 * chunks. The chunk just journaled there has not been touched: its moves are
 * settled as rolled back with the chunk before, instead of left at 'intent'
 * for the next command to report as interrupted. False (nothing asked) when
 * no run is in flight.
 */
export function stopMovesAtNextChunk(): boolean {
  if (inFlight === 0) return false;
  stopAsked = true;
  return true;
}

const NOT_STARTED = "not started: the run was stopped (Ctrl-C or a stop signal) before this book; it stays where it was";

export interface ExecuteOptions {
  forceCopy: boolean;
  /** Stored file lists of each book (JSON as in the books table), to recompute a copied book's fingerprint. */
  bookFiles: ReadonlyMap<number, { files: string; sidecars: string }>;
  onProgress?: (done: number, total: number) => void;
  /** Adds the time spent journaling and moving (ms). */
  timings?: { journal: number; move: number };
  /** Which target folders existed when the plan looked (apply): spares an lstat per folder when journaling. */
  folders?: FolderKnowledge;
}

type Planned = Omit<MoveIntent, "created_dir">;
type Journaled = MoveIntent & { id: number };

/** Journals and carries out `intents` in order. The objects are the run's own: each gets its created_dir and journal id in place. */
export function executeMoves(db: Db, batchId: number, intents: Planned[], options: ExecuteOptions): Promise<MoveResult[]> {
  // Undo's runs too (apply's holds it already from its plan on): compile-tier.ts says why.
  return withoutOptimizingCompiler(() => runMoves(db, batchId, intents, options));
}

async function runMoves(db: Db, batchId: number, intents: Planned[], options: ExecuteOptions): Promise<MoveResult[]> {
  const results: MoveResult[] = [];
  inFlight++;
  stopAsked = false;
  notStartedByStop = 0;
  // Intents must be on disk before the renames they announce. The WAL is synced on a worker thread, not this one,
  // which writes the next step meanwhile: by the rename batch itself right before its renames (renameAfterSync), or
  // (books moved one by one) by wal-sync.ts, awaited before the moves; where it cannot be, a full sync per commit.
  const previous = db.pragma("synchronous", { simple: true }) as number;
  const wal = openWalSync(db);
  db.pragma(wal ? "synchronous = NORMAL" : "synchronous = FULL");
  const durable = (): Promise<void> => {
    const synced = wal ? wal.durable() : Promise.resolve();
    // Awaited before anything relies on it; should the run fail first, the answer is dropped rather than left unhandled.
    synced.catch(() => null);
    return synced;
  };
  // Checkpoints wait for the end of the run (up to a bound on the WAL's size): each chunk touches most pages of the
  // books' path indexes again, and a checkpoint after every commit would copy (and sync) them into the database again.
  const checkpointAt = db.pragma("wal_autocheckpoint", { simple: true }) as number;
  if (checkpointAt > 0 && checkpointAt < RUN_CHECKPOINT_PAGES) db.pragma(`wal_autocheckpoint = ${RUN_CHECKPOINT_PAGES}`);
  // Each settling statement rewrites thousands of rows (and their index entries) that may have to be undone alone
  // should it fail: SQLite keeps the pages it changes in a statement journal, which past 64 KiB spills to a temporary
  // file, written and read back per page. In memory that costs a chunk a few MB at most.
  const tempStore = db.pragma("temp_store", { simple: true }) as number;
  if (tempStore !== 2) db.pragma("temp_store = MEMORY");
  // Pages read through the memory map (openDatabase) must be faulted in and then copied into the page cache before a
  // step can change them, and a run changes most of the books' pages: without the map, ~20% less CPU per step.
  const mmapSize = db.pragma("mmap_size", { simple: true }) as number;
  if (mmapSize !== 0) db.pragma("mmap_size = 0");
  // Set once the first intents are committed: from then on books may have moved, and an error leaves them to recovery.
  let journaledAny = false;
  try {
    const timings = options.timings;
    if (timings) timings.journal = timings.move = 0;
    const timed = <T>(phase: "journal" | "move", run: () => T): T => {
      if (!timings) return run();
      const began = performance.now();
      try {
        return run();
      } finally {
        timings[phase] += performance.now() - began;
      }
    };
    // Books still to leave each source folder: a folder is tried for removal once its last one has gone, not after
    // every chunk (rmdir of a large folder reads all of it to find it not empty).
    const leaving = new Map<string, number>();
    const vacated = new Map<string, string>();
    for (const m of intents) {
      const source = path.dirname(m.from_path);
      leaving.set(source, (leaving.get(source) ?? 0) + 1);
    }
    const sources: Sources = { leaving, vacated };
    // Folders this run made sure exist (mkdir once per folder, not per book); forgotten when a rollback removes folders.
    const ready = new Set<string>();
    const folders: Folders = { ready, known: options.folders };
    // A copy is synchronous and a stop is seen only between chunks: books that will be copied go one to a chunk, so
    // Ctrl-C waits for the book being copied, not for 64 of them. Renames keep their chunks, in the same run too: a
    // chunk ends before the next copy, and the books after it are chunked again (bench:apply's path).
    const copies = copyPredictor(options.forceCopy);
    // Library folders on a FUSE file system that loses a renamed folder's contents (fusefat): asked once, before the
    // first move; their folder books are refused there (a copy into one ends with a rename too).
    const losing = foldersLosingRenames(intents.filter((m) => movedEntryKind(m) === "folder").map((m) => m.root_to));
    // How many books from `at` the next chunk takes: a copy alone, else renames up to `wanted` and never past the
    // next copy foreseen (a copy inside a chunk of renames would hold a stop for as long as it takes).
    const take = (at: number, wanted: number): number => {
      if (copies(intents[at])) return 1;
      for (let i = at + 1; i < at + wanted && i < intents.length; i++) if (copies(intents[i])) return i - at;
      return wanted;
    };
    let chunk = timed("journal", () => journal(db, batchId, [], intents.slice(0, take(0, FIRST_CHUNK)), folders));
    journaledAny = true;
    let size = FIRST_CHUNK;
    // How many intents are journaled (the next chunk starts there).
    let start = chunk.length;
    let firstRound = true;
    // Chunks journaled but not moved yet, to be moved before any new intent is journaled: the books a chunk of renames
    // left once one of its renames turned into a copy (EXDEV within one mount: overlayfs), one to a chunk (a stop is
    // seen between two copies, not after all of them), then the chunk journaled beside them.
    const waiting: Journaled[][] = [];
    // Outcomes of the chunk moved last, to be settled with the next journal step.
    let unsettled: JournaledOutcome[] = [];
    // The chunk's renames on the addon's worker thread, or null: the chunk is moved one by one (not folders, copies,
    // no addon), or the addon could not after all (no renameat2), after the sync.
    const renameBatch = (moves: Journaled[]): Promise<Int32Array | null> | null => {
      // A change of case alone never goes to the batch: on Linux's vfat the kernel finds the new name to be the book itself
      // and "renames" it to itself, changing nothing and answering success. One by one, it goes through a temporary name.
      if (options.forceCopy || !canRenameMany() || !moves.every((m) => movedEntryKind(m) === "folder" && !losing.has(m.root_to) && !caseOnlyPair(m.from_path, m.to_path))) return null;
      // With their roots: the addon follows no link below them (a folder swapped for one since the plan looked).
      return renameAfterSync(moves.map((m) => ({ from: m.from_path, to: m.to_path, roots: { from: m.root_from, to: m.root_to } })), wal);
    };
    // The batch of the chunk to move next, when it was started before the chunk moved last had been taken note of.
    let started: Promise<Int32Array | null> | null = null;
    while (chunk.length > 0) {
      const began = performance.now();
      const renaming = started ?? renameBatch(chunk);
      started = null;
      let next: Journaled[];
      // Moves of this chunk not made because a copy came first in it: moved next, one to a chunk.
      const deferred: Journaled[] = [];
      let copiedNow = false;
      const onCopy = (move: Planned) => {
        copiedNow = true;
        copies.seen(move);
      };
      if (renaming) {
        // The chunk's folders are renamed on a worker thread while this one settles the chunk before and journals the
        // next: the renames wait for no commit but their own chunk's intents (committed above, before they started).
        try {
          // Beside the first chunk's renames (few, so that they start the sooner), before any round was timed, the second
          // chunk is made larger: the run does not spend a round and a sync on 64 more books. (Not when books are
          // moved one by one, copies included: their time is not known before a round.)
          const target = firstRound ? Math.max(size, SECOND_CHUNK) : size;
          const count = waiting.length > 0 ? 0 : take(start, nextChunkSize(intents.length - start, target, chunk.length));
          next = timed("journal", () => journal(db, batchId, unsettled, intents.slice(start, start + count), folders));
          start += next.length;
        } catch (error) {
          // Leave nothing running behind a failed commit: the chunk's moves stay at 'intent' for recovery to settle.
          await renaming.catch(() => null);
          throw error;
        }
        // The last chunk is being renamed and the journal has nothing left to write but its outcomes: the run's WAL is
        // copied into the database now, beside the renames, rather than after them (see RUN_CHECKPOINT_PAGES).
        // Here, not on a worker thread with a connection of its own: starting one cost ~50 ms of CPU on another thread
        // while this one and the renames' kept both cores busy, more than the checkpoint's syncs hold this thread.
        if (next.length === 0 && waiting.length === 0) timed("journal", () => checkpointBeside(db));
        const waited = performance.now();
        // Should the batch itself fail (not a rename: those are told per pair), the moves are left at 'intent' as after a
        // crash, and the next command settles them from what is on disk.
        const renamed = await renaming;
        if (timings) timings.move += performance.now() - waited;
        // When every pair was renamed, taking note of them touches the disk only to remove source folders left empty
        // (which no later book leaves; a later rename into one finds it gone and makes it again, or fails and is moved
        // one by one): the next chunk's renames start now, rather than after this thread's note-taking, which left the
        // rename thread idle. Its intents were committed by the step above, and the batch syncs them before renaming.
        // (Never with a move of the chunk left to make: a pair not renamed is moved one by one below.)
        if (renamed && next.length > 0 && !stopAsked && renamed.every((errno) => errno === 0)) started = renameBatch(next);
        try {
          unsettled = timed("move", () => moveChunk(db, chunk, options, results, sources, ready, renamed, losing, onCopy, deferred));
        } catch (error) {
          // As for a failed journal step: nothing left running behind the error.
          await started?.catch(() => null);
          throw error;
        }
      } else {
        await durable();
        // A copy where none was foreseen (a mount below a library folder, a rename refused within one mount): later
        // moves there go one book at a time too (copies.seen).
        const settled = timed("move", () => moveChunk(db, chunk, options, results, sources, ready, null, losing, onCopy, deferred));
        const count = waiting.length > 0 || deferred.length > 0 ? 0 : take(start, nextChunkSize(intents.length - start, size, chunk.length));
        next = timed("journal", () => journal(db, batchId, unsettled.concat(settled), intents.slice(start, start + count), folders));
        start += next.length;
        unsettled = [];
        if (next.length > 0 || deferred.length > 0 || waiting.length > 0) await new Promise((resolve) => setImmediate(resolve));
      }
      firstRound = false;
      const took = performance.now() - began;
      // With the overlap, this round both moved this chunk and journaled the next: its time is that of the larger.
      const books = renaming ? Math.max(chunk.length, next.length) : chunk.length;
      // At most twice the last chunk: a round's time says little about a larger one's (the first rounds write intents
      // and settle few books), and a chunk whose renames outlast the journal step beside them leaves this thread idle.
      // A copy's round says nothing about renames: the renames after it go on at the size they had.
      if (!copiedNow) size = Math.max(renaming ? MIN_RENAME_CHUNK : MIN_CHUNK, Math.min(MAX_CHUNK, books * GROWTH, Math.round((books * CHUNK_MS) / Math.max(took, 1))));
      options.onProgress?.(results.length, intents.length);
      // The books this chunk left first, one to a chunk, then what was journaled before them; `started` implies none.
      waiting.unshift(...regrouped(deferred, copies));
      if (next.length > 0) waiting.push(next);
      chunk = waiting.shift() ?? [];
      // A chunk whose renames have started is moved: the stop is seen after it.
      if (stopAsked && chunk.length > 0 && !started) {
        const left = [chunk, ...waiting.splice(0)].flat();
        notStartedByStop = left.length + intents.length - start;
        // A batch whose renames were refused (EXDEV) made their target folders first; a book left where it was leaves
        // none behind, as a rolled-back move leaves none (an output_path on another disk: an empty author folder each).
        if (unmakeFolders(left)) ready.clear();
        unsettled = unsettled.concat(left.map((move) => ({ move, outcome: { id: move.id, state: "rolled_back" as const, error: NOT_STARTED } })));
        chunk = [];
      }
    }
    if (unsettled.length > 0) {
      const last = unsettled;
      timed("journal", () => journal(db, batchId, last, [], folders));
    }
    // The run's outcomes on disk before it reports them, as its full-sync commits left them. Should that sync fail, the
    // books are where they were moved and the next command settles any move the disk lost from the files themselves.
    await durable().catch(() => null);
  } catch (error) {
    // Its words must not say that all was rolled back: what was renamed stays so, and the next command settles it.
    throw journaledAny ? markMovesLeft(error) : error;
  } finally {
    wal?.close();
    db.pragma(`synchronous = ${previous}`);
    db.pragma(`wal_autocheckpoint = ${checkpointAt}`);
    if (tempStore !== 2) db.pragma(`temp_store = ${tempStore}`);
    if (mmapSize !== 0) db.pragma(`mmap_size = ${mmapSize}`);
    inFlight--;
  }
  return results;
}

/**
 * The batch's renames once the intents announcing them (committed before the
 * call) are on disk. The batch's worker thread syncs the WAL itself right
 * before its first rename: a sync awaited here would start the renames only
 * when this thread next turns its event loop, after the journal step it runs
 * meanwhile, and the renames would run after that step instead of beside it.
 * Resolves to null where the batch cannot run: the chunk is then moved one
 * by one, after the sync. Rejects, having renamed nothing, when the sync fails.
 */
function renameAfterSync(pairs: { from: string; to: string }[], wal: WalSync | null): Promise<Int32Array | null> {
  // Without a WalSync every commit was a full sync: the intents are on disk already.
  if (!wal) return Promise.resolve(renameManyNoReplace(pairs));
  const borrowed = wal.borrow();
  const renaming = borrowed && renameManyNoReplace(pairs, borrowed.fd);
  if (!renaming) {
    borrowed?.done();
    return wal.durable().then(() => null);
  }
  return renaming.finally(() => borrowed.done());
}

/**
 * Whether a move will copy rather than rename: copies forced, or the move's
 * two sides on different file systems. Judged per pair of devices, not per
 * run: a run whose few books go to another disk (a second library folder on
 * it, an author folder that is a mount) still renames the rest in chunks.
 * The library folders' devices decide (one stat per folder a run) until a
 * copy is seen between two on the same device: a mount below one of them.
 * From then on, moves between folders on one device are judged by the
 * book's own device and its target's nearest existing folder's (stats
 * cached per folder). A wrong "no" costs only a stop seen a chunk later.
 */
function copyPredictor(forceCopy: boolean): ((move: Planned | undefined) => boolean) & { seen: (move: Planned) => void } {
  const devices = new Map<string, number | null>();
  const device = (at: string) => {
    let dev = devices.get(at);
    if (dev === undefined) {
      try {
        // Followed: a library folder may be a link (to another disk); no link below one is ever moved through.
        dev = fs.statSync(at).dev;
      } catch {
        dev = null;
      }
      devices.set(at, dev);
    }
    return dev;
  };
  // The target's own folder is often made by the move itself: the nearest one there is decides.
  const targetDevice = (to: string, root: string): number | null => {
    for (let at = path.dirname(to); ; at = path.dirname(at)) {
      const dev = device(at);
      if (dev !== null || at === root || path.dirname(at) === at) return dev;
    }
  };
  let mountsBelow = false;
  // Devices where a rename within the device itself was refused (EXDEV): overlayfs (Docker's file system) refuses to
  // rename a folder of a lower layer, and every such book is copied.
  const refusing = new Set<number>();
  const predict = (move: Planned | undefined): boolean => {
    if (move === undefined) return false;
    if (forceCopy) return true;
    const from = device(move.root_from);
    const to = device(move.root_to);
    if (from === null || to === null) return false;
    if (from !== to) return true;
    if (refusing.has(from)) return true;
    if (!mountsBelow) return false;
    // Not cached per book: asked only after a mount below a library folder showed itself.
    const own = sourceDevice(move.from_path);
    const target = targetDevice(move.to_path, move.root_to);
    return own !== null && target !== null && own !== target;
  };
  // Told as a copy begins (its source still in place): a mount below a library folder, or a rename refused within one device.
  const seen = (move: Planned) => {
    if (forceCopy || device(move.root_from) !== device(move.root_to)) return;
    const own = sourceDevice(move.from_path);
    if (own !== null && own === targetDevice(move.to_path, move.root_to)) refusing.add(own);
    else mountsBelow = true;
  };
  return Object.assign(predict, { seen });
}

function sourceDevice(at: string): number | null {
  try {
    return fs.lstatSync(at).dev;
  } catch {
    return null;
  }
}

/**
 * Moves journaled together but left by their chunk once one of them turned
 * into a copy, in chunks again: each foreseen copy alone, the renames between
 * them together (a copy seen where none was foreseen teaches the predictor).
 */
function regrouped(moves: Journaled[], copies: (move: Planned) => boolean): Journaled[][] {
  const chunks: Journaled[][] = [];
  let renames: Journaled[] = [];
  for (const move of moves) {
    if (!copies(move)) {
      renames.push(move);
      continue;
    }
    if (renames.length > 0) chunks.push(renames);
    renames = [];
    chunks.push([move]);
  }
  if (renames.length > 0) chunks.push(renames);
  return chunks;
}

/**
 * How many of the `remaining` books the next chunk takes, `size` being what
 * fits in CHUNK_MS and `previous` the chunk being moved now. A chunk's
 * renames run beside the journal step that settles the chunk before it and
 * writes the intents of the chunk after it, but the last chunk's settling
 * runs beside nothing. So a rest that would fit in one chunk is split in two
 * thirds and a third: the journal work beside the larger one's renames stays
 * about as long as they are, and the last settling is short. (One big last
 * chunk left its renames waited for, then its settling alone.)
 */
function nextChunkSize(remaining: number, size: number, previous: number): number {
  if (remaining <= Math.max(MIN_CHUNK, previous / 2) || remaining > size * 1.5) return Math.min(size, remaining);
  return Math.ceil((remaining * 2) / 3);
}

/**
 * A passive checkpoint (it never waits for another connection). Its failure
 * costs nothing: the pages stay in the WAL for the next checkpoint, and the
 * journal's commits are as durable either way.
 */
function checkpointBeside(db: Db): void {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch {
    // Left to SQLite's next automatic checkpoint.
  }
}

/** Folders that exist as far as this run knows: made by its moves, or seen by the plan. */
interface Folders {
  ready: Set<string>;
  known: FolderKnowledge | undefined;
}

/** Settles what was moved and journals the next chunk, noting for each of its moves the first folder it will create. */
function journal(db: Db, batchId: number, settled: JournaledOutcome[], next: Planned[], folders: Folders): Journaled[] {
  const missing = new Map<string, string | null>();
  // The run's own intent objects are completed in place (created_dir, then id), not copied: one object per move.
  const journaled = next as Journaled[];
  for (const m of journaled) {
    const dir = path.dirname(m.to_path);
    let created = missing.get(dir);
    if (created === undefined) missing.set(dir, (created = firstFolderToMake(dir, folders)));
    m.created_dir = created;
  }
  const ids = journalStep(db, batchId, settled, journaled);
  journaled.forEach((m, i) => (m.id = ids[i]));
  return journaled;
}

/**
 * firstMissingDir without an lstat per folder where the run knows the answer:
 * folders its moves made exist, and so do those the plan saw (a rollback
 * removes only folders its move made, and then forgets them all). Where
 * neither knows, the disk is asked. Should a folder appear meanwhile,
 * mkdir -p finds it and a rollback removes it only if empty, as before.
 */
function firstFolderToMake(dir: string, { ready, known }: Folders): string | null {
  let missing: string | null = null;
  for (let at = dir; ; ) {
    const existed = ready.has(at) ? true : known?.existed(at);
    if (existed === undefined) return firstMissingDir(at) ?? missing;
    if (existed) return missing;
    missing = at;
    const up = path.dirname(at);
    if (up === at) return missing;
    at = up;
  }
}

/** Per source folder of a run: the books still to leave it, and (once one did) the root to stop removing empty folders at. */
interface Sources {
  leaving: Map<string, number>;
  vacated: Map<string, string>;
}

/**
 * Moves the books of one journaled chunk, or (`renamed`: each pair's errno
 * from renameManyNoReplace) takes note of the renames already done and moves
 * the rest one by one, which says what their failure means (a failed rename
 * changed nothing). Returns their outcomes, to be settled with a next step.
 */
function moveChunk(
  db: Db,
  chunk: Journaled[],
  options: ExecuteOptions,
  results: MoveResult[],
  { leaving, vacated }: Sources,
  ready: Set<string>,
  renamed: Int32Array | null,
  losing: ReadonlyMap<string, string>,
  /** Told of each move that turns into a copy, as the copy begins. */
  onCopy: (move: Journaled) => void,
  /** Filled with the moves not made because a copy came before them in the chunk (not renamed by the batch either). */
  deferred: Journaled[],
): JournaledOutcome[] {
  const settled: JournaledOutcome[] = [];
  // Once one move of the chunk turned into a copy (a rename refused with EXDEV), the others still to make are left to
  // later chunks of one: a chunk is where a stop is seen, and 64 copies in one held a Ctrl-C for all of them.
  let copied = false;
  chunk.forEach((move, i) => {
    if (copied && renamed?.[i] !== 0) {
      deferred.push(move);
      return;
    }
    const source = path.dirname(move.from_path);
    leaving.set(source, (leaving.get(source) ?? 1) - 1);
    let method: MoveResult["method"] = null;
    // A copy that stood with files left at its old place says what stayed where (journaled with the done move).
    let leftBehind: string | null = null;
    try {
      const lost = losing.size > 0 && movedEntryKind(move) === "folder" ? losing.get(move.root_to) : undefined;
      if (lost !== undefined) throw new MoveRefused(lost);
      if (renamed?.[i] === 0) {
        method = "rename";
        ready.add(path.dirname(move.to_path));
      } else {
        // Made only for a book moved here one by one, not for each book the batch renamed.
        const copying = () => {
          copied = true;
          onCopy(move);
          setMoveMethod(db, move.id, "copy");
        };
        const onLeftBehind = (note: string) => (leftBehind = note);
        const roots = { from: move.root_from, to: move.root_to };
        if (movedEntryKind(move) === "folder" && !options.forceCopy && sameEntryRespelled(move.from_path, move.to_path)) {
          // `the hobbit` → `The Hobbit` where the file system folds names: the new name is the book itself (case-rename.ts).
          refuseLinks({ id: move.id, from: move.from_path, to: move.to_path, kind: "folder", roots });
          renameByCase({ id: move.id, from: move.from_path, to: move.to_path, roots });
          method = "rename";
        } else if (move.companions && movedEntryKind(move) === "file") {
          const onDisk = { id: move.id, from: move.from_path, to: move.to_path, kind: "file" as const, roots: { from: move.root_from, to: move.root_to } };
          method = moveWithCompanions(onDisk, companionPairs(move), { forceCopy: options.forceCopy, onCopy: copying, onLeftBehind });
          ready.add(path.dirname(move.to_path));
        } else {
          method = moveOnDisk(
            { id: move.id, from: move.from_path, to: move.to_path, kind: movedEntryKind(move), roots: { from: move.root_from, to: move.root_to } },
            { forceCopy: options.forceCopy, onCopy: copying, ready, onLeftBehind },
          );
        }
      }
      const outcome: JournaledOutcome["outcome"] = { id: move.id, state: "done" };
      if (leftBehind !== null) outcome.error = leftBehind;
      if (method === "copy") outcome.fingerprint = copiedFingerprint(move, options) ?? undefined;
      settled.push({ move, outcome });
      // The folders above the book's exist too (journal() asks about them for later moves).
      for (let at = path.dirname(path.dirname(move.to_path)); at.startsWith(move.root_to + path.sep) && !ready.has(at); at = path.dirname(at)) ready.add(at);
      vacated.set(source, move.root_from);
      results.push(result(move, method, null, leftBehind));
    } catch (error) {
      if (move.created_dir) {
        removeEmptyParents(path.dirname(move.to_path), path.dirname(move.created_dir), move.root_to);
        ready.clear();
      }
      const message = error instanceof MoveRefused ? error.message : moveErrorText(error, { bookId: move.book_id, from: move.from_path, to: move.to_path, kind: movedEntryKind(move) });
      settled.push({ move, outcome: { id: move.id, state: error instanceof MoveRefused ? "rolled_back" : "failed", error: message } });
      results.push(result(move, method, message));
    }
  });
  // Only after the chunk's moves: a rollback above relies on folders it did not create staying put.
  // Before the settling commit is as safe: recovery finds these books at their new place either way.
  for (const [dir, root] of vacated) {
    if (leaving.get(dir)! > 0) continue;
    removeEmptyParents(dir, root, root);
    vacated.delete(dir);
  }
  return settled;
}

/** Removes the folders the journal noted `moves` would make, where still empty; whether it removed any it may have. */
function unmakeFolders(moves: readonly Journaled[]): boolean {
  let any = false;
  for (const move of moves) {
    if (!move.created_dir) continue;
    removeEmptyParents(path.dirname(move.to_path), path.dirname(move.created_dir), move.root_to);
    any = true;
  }
  return any;
}

/** What is renamed on disk: a single-file book's file also when it is undone out of the folder it was given. */
export function movedEntryKind(move: Pick<MoveIntent, "kind_from" | "from_path" | "book_from">): "folder" | "file" {
  return move.kind_from === "file" || move.from_path !== move.book_from ? "file" : "folder";
}

function copiedFingerprint(move: Planned, options: ExecuteOptions): string | null {
  const stored = options.bookFiles.get(move.book_id);
  if (!stored) return null;
  const files = JSON.stringify((JSON.parse(stored.files) as { path: string; size: number }[]).map((f) => ({ ...f, path: movedPath(move, f.path) })));
  const sidecars = JSON.stringify((JSON.parse(stored.sidecars) as string[]).map((p) => movedPath(move, p)));
  return diskFingerprint({ path: move.book_to, kind: move.kind_to, files, sidecars });
}

function result(move: Journaled, method: MoveResult["method"], error: string | null, leftBehind: string | null = null): MoveResult {
  return { move_id: move.id, book_id: move.book_id, from: move.book_from, to: move.book_to, method, error, left_behind: leftBehind, companions: journaledCompanions(move.companions) };
}
