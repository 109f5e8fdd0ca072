/**
 * `apply`: carries out the plan's moves under the data-folder lock, each
 * journaled (see execute.ts). A dry run builds the same plan and reports
 * exactly what would be moved, touching nothing.
 */
import fs from "node:fs";
import path from "node:path";
import { SpaceCheck } from "./space-check.js";
import { acquireDataLock, type LockHolder } from "../store/data-lock.js";
import { holdReadSnapshot, type Db } from "../store/database.js";
import { finishBatch, startBatch, type MoveIntent } from "../store/moves.js";
import { unscannedCompanions, unscannedCompanionsError } from "./companion-check.js";
import { withoutOptimizingCompiler } from "./compile-tier.js";
import { copyForced } from "./disk.js";
import { executeMoves } from "./execute.js";
import { fuseJudgements, knownLosingWords } from "./fuse-check.js";
import { accessManyAsync } from "./native-fs.js";
import { dataFolderInside, foldersHoldingData } from "./data-folder-check.js";
import { filesOnDiskAsync, changedFilesWords, unreachableWords, type FilesOnDisk } from "./fingerprint-check.js";
import { addedSinceScanError, unscannedInFolder } from "./folder-check.js";
import { PermissionCheck } from "./permission-check.js";
import { planWithRows, planWithRowsInSlices, type FolderKnowledge } from "./plan.js";
import { recoverInterrupted } from "./recovery.js";
import type { PlanBookRow } from "../store/books.js";
import { lockedForPlan } from "../store/book-queries.js";
import type { ApplyReport, Conflict, LockedLeftOut, MoveResult, OrganizeContext, Plan, PlanEntry, PlanOptions } from "./types.js";

export interface LockOptions {
  /** Wait for another writer this long (default: config lock_wait_seconds). */
  lockWaitMs?: number;
  /** Told once when another command holds the lock and we wait. */
  onWait?: (holder: LockHolder | null) => void;
}

export interface ApplyOptions extends PlanOptions, LockOptions {
  dryRun?: boolean;
  /** Copy, verify and delete even within one file system (default: env SHELFWISE_FORCE_COPY=1). */
  forceCopy?: boolean;
  onProgress?: (done: number, total: number) => void;
  /** Filled with where the time went (ms per phase), for the benchmark. */
  timings?: ApplyTimings;
  /**
   * Book id → the target the user was shown for it (the web app's Review page). A book whose proposal is another
   * now (a correction, a settings change or another tab's apply since the page loaded) is not moved: it fails with
   * the reason, so nothing goes where the user did not see it go.
   */
  shownTargets?: ReadonlyMap<number, string>;
  /**
   * With shownTargets: those are the only moves made (the CLI's question was about them): a book proposed since
   * is not moved either, with the reason, so the count confirmed is never exceeded by books nobody was asked about.
   */
  shownOnly?: boolean;
  /** Called once the plan and its checks are done, right before the first move (tests change the disk there, as a race would). */
  beforeMoves?: () => void;
  /**
   * Plan in slices of about this many ms, giving the event loop back in between (the server: a plan of a large
   * library built in one piece held every other request for a second or more). Default: in one piece.
   */
  sliceMs?: number;
  /**
   * Told the number of books that will move once the plan and its checks are done, before the first move (the
   * server shows it as the job's "0 of N"): books the checks held back or refused are not in it, as in the report.
   */
  onPlanned?: (moves: number, checked: { held: number; refused: number }) => void;
  /**
   * With sliceMs: a read-only connection to the same database (store/database.ts openReader), holding nothing,
   * that the books are read from a page at a time inside a read snapshot of its own; read in one query otherwise
   * (20,000 books' rows held the server's event loop 110-190 ms). The moves are still written through `ctx.db`.
   */
  planReader?: Db;
}

/** Milliseconds per phase of one apply. */
export interface ApplyTimings {
  /** Lock, recovery of interrupted moves, the plan (targets, conflicts, disk looks). */
  plan: number;
  /** Each book's files compared with the last scan (the fingerprint check): what is left of it once the plan is done (its stats run beside the plan). */
  check: number;
  /** The journal: intents, outcomes and the books' new paths, with their full-sync commits. */
  journal: number;
  /** The moves on disk (target check, folders, renames, emptied folders): with the addon, what is left of them once the journal step beside them is done. */
  move: number;
}

export async function applyMoves(ctx: OrganizeContext, options: ApplyOptions = {}): Promise<ApplyReport> {
  if (options.dryRun) {
    // The same plan and checks as a real apply (stats only, the checks in slices in the server), so that a dry run
    // shows what apply would refuse; checked one piece at a time, 20,000 proposals held the server's event loop ~0.3 s.
    const { plan, rows, accepted, failed } = await checkedPlan(ctx, options);
    const room = new SpaceCheck(copyForced(options.forceCopy));
    // A real apply probes a FUSE mount it moves folder books into (execute.ts, fuse-check.ts) by writing a test folder
    // there; a dry run writes nothing and judges by the driver's name: those a known-losing driver would lose are refused.
    const fuse = fuseJudgements(accepted.filter((e) => e.kind === "folder").map((e) => e.target_root));
    const moved: MoveResult[] = [];
    for (const entry of accepted) {
      const judged = entry.kind === "folder" ? fuse.get(entry.target_root) : undefined;
      if (judged?.losing) {
        failed.push({ ...planned(entry, null), error: knownLosingWords(entry.target_root, judged) });
        continue;
      }
      const row = rows.get(entry.book_id)!;
      const full = room.refusal({ from: row.path, to: entry.to!, sizes: fileSizes(row.files) });
      if (full !== null) failed.push({ ...planned(entry, null), error: full });
      else moved.push(planned(entry, null));
    }
    return { dry_run: true, batch_id: null, moved, failed, held: plan.entries.filter((e) => e.action === "held"), ok: plan.counts.ok, locked: lockedLeftOut(ctx, options), recovered: [] };
  }
  return withoutOptimizingCompiler(() => applyRun(ctx, options));
}

/** A real run: the plan and its checks, then the journaled moves, under the data-folder lock. */
async function applyRun(ctx: OrganizeContext, options: ApplyOptions): Promise<ApplyReport> {
  const began = performance.now();
  const lock = await acquireDataLock(ctx.dataDir, { command: "apply", waitMs: lockWaitMs(ctx, options), onWait: options.onWait });
  try {
    const recovered = recoverInterrupted(ctx.db);
    const { plan, rows, folders, accepted, failed } = await checkedPlan(ctx, options, began);
    const held = plan.entries.filter((e) => e.action === "held");
    // Counted before the moves, under the same lock (an apply locks no book; a lock or unlock waits for the data lock):
    // the same answer as after them, read while the plan's pages are fresh, not through the run's WAL (~1,250 pages
    // written there by 5,000 moves, each read back from it after the run).
    const locked = lockedLeftOut(ctx, options);
    const intents: Omit<MoveIntent, "created_dir">[] = accepted.map((entry) => {
      const book = rows.get(entry.book_id)!;
      return {
        kind: "apply",
        book_id: book.id,
        book_from: book.path,
        book_to: book.kind === "file" ? path.dirname(entry.to!) : entry.to!,
        kind_from: book.kind,
        kind_to: "folder",
        root_from: book.library_root,
        root_to: entry.target_root,
        from_path: book.path,
        to_path: entry.to!,
        fingerprint: book.fingerprint,
        undoes: null,
        companions: book.kind === "file" ? companionsOf(book.path, book.sidecars) : null,
      };
    });
    if (intents.length === 0) return { dry_run: false, batch_id: null, moved: [], failed, held, ok: plan.counts.ok, locked, recovered };
    options.beforeMoves?.();
    const batchId = startBatch(ctx.db, "apply", intents.length);
    const results = await executeMoves(ctx.db, batchId, intents, {
      forceCopy: copyForced(options.forceCopy),
      // The plan's rows hold each book's stored file lists (read only for a book that turns into a copy).
      bookFiles: rows,
      folders,
      onProgress: options.onProgress,
      timings: options.timings,
    });
    finishBatch(ctx.db, batchId);
    return {
      dry_run: false,
      batch_id: batchId,
      moved: results.filter((r) => r.error === null),
      failed: failed.concat(results.filter((r) => r.error !== null)),
      held,
      ok: plan.counts.ok,
      locked,
      recovered,
    };
  } finally {
    lock.release();
  }
}

/**
 * The plan, and its proposed moves split into those apply would make (`accepted`) and those it refuses before
 * moving anything (`failed`, with the reason): one path for a dry run and a real run, so both check the same way.
 */
async function checkedPlan(
  ctx: OrganizeContext,
  options: ApplyOptions,
  began = performance.now(),
): Promise<{ plan: Plan; rows: Map<number, PlanBookRow>; folders: FolderKnowledge; accepted: PlanEntry[]; failed: MoveResult[] }> {
  // "Never touches a file it did not scan": each book's files must be as the last scan saw them. Their stats start
  // as soon as the proposals are known and run on worker threads while the plan checks conflicts.
  let checking: Promise<FilesOnDisk> | null = null;
  let proposed: readonly PlanEntry[] = [];
  // The permission check asks whether each book folder is writable (its `..` changes with its parent): with the
  // addon, all at once on a worker thread beside the plan, rather than one access(2) per book on this one.
  let asking: Promise<Set<string>> | null = null;
  const onProposed = (moves: readonly PlanEntry[], candidates: ReadonlyMap<number, PlanBookRow>) => {
    proposed = moves;
    // With the addon, the same job lists each folder book's folders for files the last scan did not see (folder-check.ts).
    checking = filesOnDiskAsync(moves.map((e) => candidates.get(e.book_id)!));
    // Awaited below; should the plan throw first, the answer is dropped rather than left unhandled.
    checking.catch(() => null);
    asking = copyForced(options.forceCopy) ? null : writableFolders(moves.filter((e) => e.kind === "folder").map((e) => e.from));
    asking?.catch(() => null);
  };
  const { plan, rows, folders } = options.sliceMs === undefined ? planWithRows(ctx, options, true, onProposed) : await planInSlices(ctx, options, onProposed, options.sliceMs);
  const checked = performance.now();
  if (options.timings) options.timings.plan = checked - began;
  const failed: MoveResult[] = [];
  const accepted: PlanEntry[] = [];
  const moves = plan.entries.filter((e) => e.action === "move");
  const { fingerprints, added } = checking ? await (checking as Promise<FilesOnDisk>) : { fingerprints: [], added: [] };
  // `moves` are what is left of `proposed` once the conflict checks held some back, in the same order and the same
  // objects: each one's fingerprint is found by walking both (a map by book id was ~0.5 MB per 5,000 books). Not
  // found (never, by that order): null, which refuses the book as unreadable rather than moving it unchecked.
  let at = 0;
  const indexOf = (entry: PlanEntry): number => {
    while (at < proposed.length && proposed[at] !== entry) at++;
    return at;
  };
  // The plan's listing of each folder, not a second one (an inbox of thousands of loose books is listed once a run).
  const appeared = unscannedCompanions(
    moves.map((e) => rows.get(e.book_id)!),
    (dir) => folders.entries(dir),
  );
  // Refused here, before anything moves, rather than failed half-way through the run.
  const writable = asking ? await (asking as Promise<Set<string>>).catch(() => undefined) : undefined;
  const checks: RefusalChecks = { shownTargets: options.shownTargets, shownOnly: options.shownOnly === true, dataDir: ctx.dataDir, holders: foldersHoldingData(ctx.dataDir), appeared, permissions: new PermissionCheck(copyForced(options.forceCopy), folders, writable) };
  // In slices too when asked: checking 20,000 books' results (and wording each refusal) took 0.3-0.7 s.
  let since = performance.now();
  for (let i = 0; i < moves.length; i++) {
    const entry = moves[i];
    if (options.sliceMs !== undefined && performance.now() - since >= options.sliceMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      since = performance.now();
    }
    const found = indexOf(entry);
    const error = refusal(checks, entry, rows.get(entry.book_id)!, found < proposed.length ? (fingerprints[found] ?? null) : null, added[found]);
    if (error === null) accepted.push(entry);
    else if (typeof error === "string") failed.push({ ...planned(entry, null), error });
    else {
      // The plan's own entry turns held: the report's `held` and the plan's counts say it as `plan` does.
      entry.action = "held";
      entry.conflict = error;
      plan.counts.move--;
      plan.counts.held++;
    }
  }
  if (options.timings) options.timings.check = performance.now() - checked;
  // Told once the checks are done: a book they hold back (files added since the scan) or refuse is not counted in
  // "0 of N", which the moves' own progress then counts up to.
  options.onPlanned?.(accepted.length, { held: plan.counts.held, refused: failed.length });
  return { plan, rows, folders, accepted, failed };
}

/** The plan in slices: on `options.planReader`, a page of books at a time inside one read snapshot, when given. */
async function planInSlices(ctx: OrganizeContext, options: ApplyOptions, onProposed: Parameters<typeof planWithRowsInSlices>[3], sliceMs: number): ReturnType<typeof planWithRowsInSlices> {
  const reader = options.planReader;
  if (!reader) return planWithRowsInSlices(ctx, options, true, onProposed, sliceMs);
  // Begun after this apply's lock and its recovery of interrupted moves: the snapshot has both.
  const release = holdReadSnapshot(reader);
  try {
    return await planWithRowsInSlices({ ...ctx, db: reader }, options, true, onProposed, sliceMs, true);
  } finally {
    release();
  }
}

/**
 * A single-file book's companions as its journal row names them (JSON file
 * names, or null): its stored sidecars, which the scan fills with exactly
 * those (see library/scan.ts); each moves with the audio file.
 */
function companionsOf(bookPath: string, sidecars: string): string | null {
  const dir = path.dirname(bookPath);
  const names = (JSON.parse(sidecars) as string[]).filter((p) => path.dirname(p) === dir).map((p) => path.basename(p));
  return names.length > 0 ? JSON.stringify(names) : null;
}

/** The folders of `paths` that access(2) finds writable (W_OK, as the check asks), asked on a worker thread; null without the addon. */
function writableFolders(paths: string[]): Promise<Set<string>> | null {
  // Root is not asked about folders at all (PermissionCheck).
  if (process.geteuid?.() === 0) return null;
  const asked = accessManyAsync(paths, fs.constants.W_OK);
  return asked && asked.then((errors) => new Set(paths.filter((_, i) => errors[i] === 0)));
}

/** Why this user's permissions would make the system refuse moving `book` to `entry.to`, or null. */
interface RefusalChecks {
  shownTargets: ReadonlyMap<number, string> | undefined;
  shownOnly: boolean;
  dataDir: string;
  holders: Set<string>;
  /** Companions put beside loose books since the last scan, by book id. */
  appeared: Map<number, string[]>;
  permissions: PermissionCheck;
}

/**
 * Why this proposal is not moved now, or null: the one list of refusals, in order, that a dry run shows and a real
 * run applies. `onDisk`: the book's files' fingerprint as they are now (null: unreachable); `listed`: unscannedInFolder of the book when the file check listed its folders.
 */
function refusal(checks: RefusalChecks, entry: PlanEntry, book: PlanBookRow, onDisk: string | null, listed: readonly string[] | undefined): string | Conflict | null {
  const appeared = checks.appeared.get(book.id);
  return (
    proposalChanged(checks.shownTargets, entry, checks.shownOnly) ??
    dataFolderHeld(checks, book) ??
    (onDisk !== book.fingerprint
      ? filesChanged(onDisk, book)
      : appeared
        ? { kind: "companions_added", reason: unscannedCompanionsError(appeared), other_book_id: null }
        : (addedToFolder(book, listed) ?? permissionRefusal(checks.permissions, entry, book)))
  );
}

/**
 * Held as `plan` holds it (`holds_data_folder`, the same words): where the data folder lies is a state of the disk
 * the user fixes there, known before anything moves, not a move that went wrong; failing it made every apply exit 1
 * on the same book while the others moved.
 */
function dataFolderHeld(checks: RefusalChecks, book: PlanBookRow): Conflict | null {
  const reason = dataFolderInside(checks.holders, checks.dataDir, book.path);
  return reason === null ? null : { kind: "holds_data_folder", reason, other_book_id: null };
}

/**
 * A folder book's files the last scan did not see: moving them as the book's would file a book identified without
 * them. Held back, as `plan` holds it (nothing went wrong: a scan and a process let the next apply move it), not a
 * failed move. `listed`: what the file check's listing found (undefined: not listed there, so listed here).
 */
function addedToFolder(book: PlanBookRow, listed: readonly string[] | undefined): Conflict | null {
  if (book.kind !== "folder") return null;
  const added = listed ?? unscannedInFolder(book);
  return added.length > 0 ? { kind: "added_since_scan", reason: addedSinceScanError(added), other_book_id: null } : null;
}

function permissionRefusal(check: PermissionCheck, entry: PlanEntry, book: PlanBookRow): Conflict | null {
  // A closure only for a book that can have companions: this runs once per proposed move, and most are folder books.
  const companions =
    book.kind === "file" && book.sidecars.length > 2
      ? () => {
          const dir = path.dirname(book.path);
          return (JSON.parse(book.sidecars) as string[]).filter((p) => path.dirname(p) === dir);
        }
      : noCompanions;
  // A single file's own new folder never exists yet (the plan holds the book otherwise): the folder it goes into is
  // judged, which the run's other books share, so a run asks the disk once per folder rather than once per book.
  const to = book.kind === "file" ? path.dirname(entry.to!) : entry.to!;
  const refused = check.refusalOf({ bookId: book.id, from: book.path, to, kind: book.kind, companions });
  if (refused === null) return null;
  // Held as `plan` holds it, with the same kind: a read-only mount (a share, a card with its lock on) or a folder this
  // user may not write in is a state of the disk the user fixes there, not a move that went wrong; failing it made
  // every apply exit 1 on the same books while the others moved. A move the system refuses when tried still fails.
  return { kind: refused.readOnly ? "read_only" : "permission_denied", reason: refused.reason, other_book_id: null };
}

const noCompanions = (): readonly string[] => [];

/** As `plan` reports them; given ids are held with the reason "locked" in the report itself, so none are left out. */
function lockedLeftOut(ctx: OrganizeContext, options: PlanOptions): LockedLeftOut {
  if (options.ids) return { count: 0, book_ids: [] };
  const locked = lockedForPlan(ctx.db, options.statuses ?? ["identified"], options.minConfidence ?? 0);
  return { count: locked.count, book_ids: locked.ids };
}

/**
 * Files that could not be looked at (a folder closed to this user) did not change: that is said instead, and held as
 * the permission check holds a folder it may not write in (`permission_denied`): a state of the disk to fix there.
 */
function filesChanged(onDisk: string | null, book: PlanBookRow): string | Conflict {
  const unreachable = onDisk === null ? unreachableWords(book) : null;
  if (unreachable !== null) return { kind: "permission_denied", reason: unreachable, other_book_id: null };
  return `the book's files changed since the last scan${changedFilesWords(book)}; run \`shelfwise scan\` and \`shelfwise process\` first (a changed book is identified again)`;
}

export function lockWaitMs(ctx: OrganizeContext, options: LockOptions): number {
  return options.lockWaitMs ?? Math.round(ctx.config.lock_wait_seconds * 1000);
}

/** A book's files' sizes as the last scan recorded them (its companions beside a single file are left out: small). */
function fileSizes(files: string): number[] {
  try {
    return (JSON.parse(files) as { size?: number }[]).map((f) => (typeof f.size === "number" && f.size > 0 ? f.size : 0));
  } catch {
    return [];
  }
}

function planned(entry: PlanEntry, method: MoveResult["method"]): MoveResult {
  return { move_id: null, book_id: entry.book_id, from: entry.from, to: entry.kind === "file" ? path.dirname(entry.to!) : entry.to!, method, error: null, left_behind: null, companions: entry.companions };
}

/** Why a proposal is not the one the user was shown (apply's shownTargets), or null when it is (or none was given). */
function proposalChanged(shown: ReadonlyMap<number, string> | undefined, entry: PlanEntry, shownOnly: boolean): string | null {
  const was = shown?.get(entry.book_id);
  if (shown !== undefined && was === undefined && shownOnly) return "it was proposed after you confirmed the moves, so it was not among them: run `shelfwise apply` again to see it and be asked";
  if (was === undefined || was === entry.to) return null;
  return `its proposal changed since it was shown (it would now go to ${entry.to}, not ${was}): look at the plan again and apply from there`;
}
