/**
 * The plan: where each identified book would go under `naming_template`, and
 * which proposals are held back. Nothing here touches the disk beyond
 * looking (lstat, realpath). Targets are computed from the current profile
 * and config, so a changed template or padding shows at once.
 */
import fs from "node:fs";
import path from "node:path";
import { checkOutputFolder, libraryFolders, libraryPathsProblem, outputFolder, outputFolderProblem } from "../config/library-folders.js";
import { FIELD_NAMES, type FieldName } from "../domain/fields.js";
import { MAX_PATH_BYTES, renderProposedPath } from "../domain/naming-template.js";
import { parseProfile, resolveProfile, type Profile } from "../domain/profile.js";
import { bookProfile, getBook, listBookPlaces, listPlanBooks, planCandidatePages, type BookPlace, type BookRow, type PlanBookRow } from "../store/books.js";
import { companionNames } from "./companion-names.js";
import { addedSinceScanError, unscannedInFolder } from "./folder-check.js";
import { dataFolderInside, dataFolderPlaces, foldersHoldingData } from "./data-folder-check.js";
import { contentsProblem, isRestrictedType, type ContentsProblem } from "./book-contents.js";
import { fileSystemTypes, fuseJudgements, knownLosingWords } from "./fuse-check.js";
import { unscannedCompanions, unscannedCompanionsError } from "./companion-check.js";
import { copyForced, lexistsOrUnknown } from "./disk.js";
import { unscannablePath } from "./scan-visible.js";
import type { Conflict, ConflictKind, FieldChange, OrganizeContext, Plan, PlanEntry, PlanOptions } from "./types.js";
import { TopParts } from "./top-parts.js";
import { RemovedRoots } from "./removed-roots.js";
import { sentence } from "../domain/command-advice.js";
import { LOCKED_BY_UNDO, lastUndoOf } from "../store/moves.js";
import { JOINED_REASON_START, joinedReasonNow } from "../store/given-up-parts.js";

const NOT_FOUND = sentence`the last scan did not find this book at ${0}, nor its files unchanged anywhere else in the library; put it back and run \`shelfwise scan\``;
const UNSCANNABLE = sentence`${0}: moved there, the book would vanish from the library at the next scan; correct the value that gives it (\`shelfwise book ${1} --set author=...\`, title, series...) or change naming_template`;
const SOURCE_MISSING = sentence`${0}: not found at its recorded place: run \`shelfwise scan\``;
const ROOT_GONE = sentence`${0}: not found at its recorded place, and its library folder ${1} is gone (renamed or moved, or a drive not mounted); mount it again, or scan the folder under its new name (\`shelfwise scan NEW_FOLDER\`: its books keep their ids) and then \`shelfwise library remove ${1}\``;
const RECORDED_AT = sentence`book #${0} is recorded at ${1}; run \`shelfwise scan\` to update it`;

/** Linux PATH_MAX is 4096 bytes with the terminating NUL; leave room for a copy's temporary name. */
const MAX_ABSOLUTE_PATH_BYTES = 4000;

/** Where books go: `output_path` (relative to the data folder, `~` the home folder) when set, else each book's own library root. */
export function targetRootOf(ctx: Pick<OrganizeContext, "config" | "dataDir">, row: Pick<BookRow, "library_root">): string {
  return outputFolder(ctx.config, ctx.dataDir) ?? row.library_root;
}

export function buildPlan(ctx: OrganizeContext, options: PlanOptions = {}): Plan {
  return planWithRows(ctx, options).plan;
}

/**
 * The plan `buildPlan` makes, built in slices of about `sliceMs` that give the
 * event loop back in between: the server keeps answering other requests while
 * a large library is planned (20,000 books took 0.7-1.5 s in one piece). The
 * same steps as buildPlan, so the same plan for the same database, disk and
 * config. `ctx.db` must hold a read snapshot (store/database.ts
 * holdReadSnapshot) so that the books, read a page at a time, are of one
 * state of the database: the server uses a connection of its own for it
 * (openReader), so its other requests' reads and writes are not in the snapshot.
 */
export async function buildPlanInSlices(ctx: OrganizeContext, options: PlanOptions = {}, sliceMs = 10): Promise<Plan> {
  return (await inSlices(planSteps(ctx, options, false, undefined, true), sliceMs)).plan;
}

/**
 * planWithRows in slices of about `sliceMs` (apply and its dry run in the
 * server: `POST /api/apply` of every proposal planned 20,000 books in one
 * piece, and the server answered nothing else meanwhile). The books are read
 * in one query, as planWithRows reads them, so they are of one state of the
 * database without a snapshot of its own, unless `paged` (on a connection
 * holding a snapshot: that one read of 20,000 books held the event loop
 * ~110-190 ms); the work on them gives the event loop back between slices.
 */
export async function planWithRowsInSlices(
  ctx: OrganizeContext,
  options: PlanOptions,
  forApply: boolean,
  onProposed: ((moves: readonly PlanEntry[], rows: ReadonlyMap<number, PlanBookRow>) => void) | undefined,
  sliceMs: number,
  /** The books read a page at a time rather than in one read (`ctx.db` must then hold a read snapshot, as for buildPlanInSlices). */
  paged = false,
): Promise<PlanWithRows> {
  return inSlices(planSteps(ctx, options, forApply, onProposed, paged), sliceMs);
}

async function inSlices<T>(steps: Generator<void, T, void>, sliceMs: number): Promise<T> {
  let since = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - since >= sliceMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      since = performance.now();
    }
  }
}

/** Books read, or planned in a loop, between two points where a plan built in slices may pause. */
const STEP = 64;
/** Books read at a time by a plan built in slices. */
const PAGE = 500;

/**
 * The plan and the rows it was made from (apply moves exactly those). For
 * `apply` (`forApply`), the fields that change are worked out only for the
 * proposals held back (the only entries its report shows): reading and
 * checking every book's profile JSON is most of a plan's cost on a real
 * library, and moving a book does not need it.
 */
export function planWithRows(
  ctx: OrganizeContext,
  options: PlanOptions = {},
  forApply = false,
  /** Told the proposed moves (and their rows) once their targets are known, before the conflict checks look at the disk. */
  onProposed?: (moves: readonly PlanEntry[], rows: ReadonlyMap<number, PlanBookRow>) => void,
): PlanWithRows {
  const steps = planSteps(ctx, options, forApply, onProposed, false);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

type PlanWithRows = { plan: Plan; rows: Map<number, PlanBookRow>; folders: FolderKnowledge };

/**
 * The plan's work, pausing (`yield`) every STEP books: run to the end at once
 * by planWithRows, in slices by buildPlanInSlices. `paged`: the books are
 * read PAGE at a time (a pause between pages) rather than in one read.
 */
function* planSteps(
  ctx: OrganizeContext,
  options: PlanOptions,
  forApply: boolean,
  onProposed: ((moves: readonly PlanEntry[], rows: ReadonlyMap<number, PlanBookRow>) => void) | undefined,
  paged: boolean,
  /**
   * Stop once every entry's action is settled but for holds of proposed moves (a move held back is listed by `plan`
   * as much as one that is not): what plannedCount needs, without the conflict checks' looks at the disk.
   */
  upToHolds = false,
  /** Leave out the look at each book in place (plannedCountAfterDiskCheck: the caller's disk check answers it). */
  inPlaceLooked = true,
): Generator<void, PlanWithRows, void> {
  // Once per plan (apply and its dry run included), not per book in targetRootOf.
  checkOutputFolder(ctx.config, ctx.dataDir);
  const statuses = options.statuses ?? ["identified"];
  const minConfidence = options.minConfidence ?? 0;
  const templateFields = fieldsOf(ctx.config.naming_template);
  const needsResolution = needsProfile(templateFields);
  const filter = { ids: options.ids, statuses, withProfile: !forApply || needsResolution };
  let candidates: PlanBookRow[];
  let places: BookPlace[];
  if (paged) {
    candidates = [];
    for (const page of planCandidatePages(ctx.db, filter, PAGE)) {
      for (const row of page) candidates.push(row);
      yield;
    }
    places = listBookPlaces(ctx.db);
  } else ({ candidates, places } = listPlanBooks(ctx.db, filter));
  const folderBooks = new Map<string, number>();
  // Arrays of a known bound sized once, cut to what they hold after: pushed from empty, each would reallocate its
  // store a dozen times per 5,000 books (~0.4 MB of garbage a plan, beside the young objects each collection copies).
  const livePaths: string[] = new Array<string>(upToHolds ? 0 : places.length);
  let live = 0;
  const recorded = new Map<string, number>();
  // The places serve the conflict checks only (look-alike books, books inside targets).
  for (let i = 0; i < (upToHolds ? 0 : places.length); i++) {
    if (i % (4 * STEP) === 4 * STEP - 1) yield;
    // Read by index, not destructured: this generator runs once per plan, mostly unoptimized, where a destructuring
    // makes an iterator and a result object per element (~1 MB per 5,000 books, each young collection copying it).
    const place = places[i];
    const at = place[1];
    recorded.set(at, place[0]);
    if (place[3] === "missing") continue;
    livePaths[live++] = at;
    if (place[2] === "folder") folderBooks.set(at, place[0]);
  }
  livePaths.length = live;
  const sortedPaths = livePaths.sort();
  const disk = new DiskLook();

  const entries: PlanEntry[] = new Array<PlanEntry>(candidates.length);
  let planning = 0;
  const planned = new Map<number, PlanBookRow>();
  // Once per plan, not per book (its key alone joined every library folder's path again for each book).
  const roots = ctx.config.library_paths.length > 0 || ctx.savedSettings ? configured(ctx) : null;
  const tops = new TopParts();
  const removed = new RemovedRoots(ctx.db, outputFolder(ctx.config, ctx.dataDir));
  for (let i = 0; i < candidates.length; i++) {
    const row = candidates[i];
    if (i % STEP === STEP - 1) yield;
    if (Math.round(row.confidence) < minConfidence) continue;
    entries[planning++] = entryFor(ctx, row, templateFields, !forApply, roots, tops, removed);
    planned.set(row.id, row);
  }
  entries.length = planning;
  yield;
  const spellings = new FolderSpellings(disk);
  // Each proposal's target parent folder as respell leaves it: one string shared by the books of a folder (the
  // spellings' own), so that the conflict checks' per-folder maps find it by identity, its hash made once, rather
  // than cutting out and hashing a new copy per book and look-up (three per book).
  const entryParents: (string | undefined)[] = new Array<string | undefined>(entries.length);
  let moving = 0;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (entry.action === "move") entryParents[i] = respell(entry, planned.get(entry.book_id)!, spellings);
    if (entry.action === "move") moving++;
    if (i % STEP === STEP - 1) yield;
  }
  const moves: PlanEntry[] = new Array<PlanEntry>(moving);
  const targetParents: string[] = new Array<string>(moving);
  for (let i = 0, m = 0; i < entries.length; i++) {
    if (entries[i].action !== "move") continue;
    moves[m] = entries[i];
    targetParents[m++] = entryParents[i]!;
  }
  if (!upToHolds) onProposed?.(moves, planned);
  yield;
  // Each source's folder once (the listing, the look at the source, its realpath): one string per folder where books
  // of one folder come together (an inbox), hashed once.
  const sourceDirs = upToHolds ? [] : sharedParents(moves);
  if (!upToHolds) disk.listFolders(sourceDirs, places);
  yield;
  // "Already in place" is a claim about the disk: a book deleted or moved away outside shelfwise since the last scan
  // is not in place anywhere. One lstat each (a proposed move's source is looked at by the conflict checks). Not
  // through listFolders: books in place sit a few to a folder across hundreds of folders, where its count of the
  // recorded books per folder cost more than the lstats it would save.
  for (let i = 0; i < (inPlaceLooked ? entries.length : 0); i++) {
    const entry = entries[i];
    if (i % STEP === STEP - 1) yield;
    if (entry.action !== "ok") continue;
    const dir = parentOf(entry.from);
    const gone = sourceGone(entry.from, dir, lstatOrUndefined(entry.from), planned.get(entry.book_id)!.library_root);
    if (gone) hold(entry, gone);
  }
  // What is left only holds proposed moves back (conflicts, clashes between targets): each stays to plan either way.
  if (upToHolds) return { plan: { entries, counts: countsOf(entries) }, rows: planned, folders: disk };
  // Each target folder folded once (case, NFC), for both the look for look-alike books and the clashes between targets.
  const keys: string[] = new Array<string>(moves.length);
  for (let i = 0; i < moves.length; i++) {
    keys[i] = foldName(targetFolder(moves[i]));
    if (i % (4 * STEP) === 4 * STEP - 1) yield;
  }
  // Live books by their path folded as macOS and Windows compare names: only those that fold to a target folder's
  // key (the only look-ups), rather than a folded string and an entry per book of the library, all kept to the end.
  const wanted = new Set(keys);
  const lengths = new Set<number>();
  for (let i = 0; i < keys.length; i++) lengths.add(keys[i].length);
  const folded = new Map<string, number>();
  for (let i = 0; i < places.length; i++) {
    if (i % (4 * STEP) === 4 * STEP - 1) yield;
    const place = places[i];
    const at = place[1];
    // An ASCII path folds one character for one: only one of a key's length can fold to it.
    if (place[3] === "missing" || (!lengths.has(at.length) && ASCII.test(at))) continue;
    const key = foldName(at);
    if (!wanted.has(key)) continue;
    // Of two live books whose paths fold alike (case, NFC), the later one (by id) is named, whatever order the rows come in.
    const twin = folded.get(key);
    if (twin === undefined || place[0] > twin) folded.set(key, place[0]);
  }
  const around: Around = { folderBooks, recorded, folded, sortedPaths, disk, booksAbove: new Map() };
  for (let i = 0; i < moves.length; i++) {
    const entry = moves[i];
    const row = planned.get(entry.book_id)!;
    const conflict = diskConflict(row, entry, sourceDirs[i], targetParents[i], keys[i], around);
    if (conflict) hold(entry, conflict);
    if (i % STEP === STEP - 1) yield;
  }
  yield;
  markTargetClashes(moves, keys);
  // What inside a folder book rules its move out (a link into the data folder; for a copy, a pipe, socket or device
  // node, and names the target's file system refuses): held by plan and apply alike, before anything is touched.
  const contents = new ContentsCheck(dataFolderPlaces(ctx.dataDir), copyForced(options.forceCopy), disk);
  for (let i = 0; i < moves.length; i++) {
    const entry = moves[i];
    if (entry.action !== "move" || entry.kind !== "folder") continue;
    const found = contents.problem(entry, sourceDirs[i], targetParents[i]);
    if (found) hold(entry, c(found.kind, found.reason));
    if (i % STEP === STEP - 1) yield;
  }
  if (!forApply) {
    // What apply would refuse of what is left, known now: held here so that `plan` (and the Review page) never
    // promises a move apply will not make, after the holds apply itself makes first (conflicts, clashes) and in
    // apply's order (apply.ts refusal). The data folder's holders are found once per plan (one realpath).
    const holders = foldersHoldingData(ctx.dataDir);
    // Companions put beside loose books since the scan: one listing per folder holding such books (an inbox: one).
    const loose: PlanBookRow[] = [];
    for (const e of moves) if (e.action === "move" && e.kind === "file") loose.push(planned.get(e.book_id)!);
    const appeared = loose.length > 0 ? unscannedCompanions(loose, (dir) => disk.entries(dir)) : null;
    // A FUSE driver known to lose a renamed folder's contents (apply's probe, and its dry run, refuse every folder book
    // bound there): judged by mountinfo once per target root, nothing written.
    const fuse = fuseJudgements(moves.filter((e) => e.action === "move" && e.kind === "folder").map((e) => e.target_root));
    for (let i = 0; i < moves.length; i++) {
      const entry = moves[i];
      if (entry.action !== "move") continue;
      const row = planned.get(entry.book_id)!;
      const beside = appeared?.get(row.id);
      const losing = entry.kind === "folder" ? fuse.get(entry.target_root) : undefined;
      const refused =
        dataFolderHeld(holders, ctx.dataDir, entry) ??
        addedToFolder(row) ??
        (beside ? c("companions_added", unscannedCompanionsError(beside)) : null) ??
        (losing?.losing ? c("target_loses_renames", knownLosingWords(entry.target_root, losing)) : null);
      if (refused) hold(entry, refused);
      if (i % STEP === STEP - 1) yield;
    }
  }
  const counts = countsOf(entries);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (forApply && e.action === "held") {
      const row = planned.get(e.book_id)!;
      e.changes = fieldChanges(parseProfile(row.profile ?? bookProfile(ctx.db, row.id) ?? "{}"), templateFields, valuesOf(row, templateFields, null));
    }
  }
  return { plan: { entries, counts }, rows: planned, folders: disk };
}

/**
 * How many identified books `status` sends to `plan`: those `plan` lists as a
 * move or held back (isToPlan), but for the books of a library folder taken
 * out of library_paths. The plan's own steps, so the two agree exactly: a book
 * at its place but for the spelling of a folder above it (an existing
 * `ursula k. le guin/`, an NFD name, a case-only difference) is in place for
 * both. Only the conflict checks are left out, which hold moves back without
 * changing whether they are listed.
 *
 * In two halves, for `status`, whose disk check lstats every book's recorded place anyway: the plan's steps (which
 * look at the folders above proposed targets, once each) without the look at each book in place, then the count
 * once that check said which books are not at their recorded place (`gone`: book ids, as diskFindings gives them;
 * one lstat each, an error counting as not there, as the plan's own look). At 100,000 books in place that look was
 * a second pass of 100,000 lstats. Null: `plan` refuses the output_path or library_paths (and says why), so what it would list is
 * not known.
 */
export function plannedCountAfterDiskCheck(ctx: OrganizeContext): ((gone: readonly number[]) => number) | null {
  if (libraryPathsProblem(ctx.config, ctx.dataDir) !== null || outputFolderProblem(ctx.config, ctx.dataDir) !== null) return null;
  const steps = planSteps(ctx, { statuses: ["identified"] }, true, undefined, false, true, false);
  let step = steps.next();
  while (!step.done) step = steps.next();
  const entries = step.value.plan.entries;
  const counted = countToPlan(entries);
  return (gone) => {
    if (gone.length === 0) return counted;
    const notThere = new Set(gone);
    // A book the plan would call in place that is not there is held back (source_missing or source_unreachable): to plan.
    let held = 0;
    for (const e of entries) if (e.action === "ok" && notThere.has(e.book_id)) held++;
    return counted + held;
  };
}

/** Whether `plan` lists this entry as still to do (a move, or a proposal held back). */
export function isToPlan(entry: PlanEntry): boolean {
  return entry.action !== "ok";
}

/** The entries `status` counts as to plan: isToPlan, but for books of a library folder the user gave up (theirs to leave). */
export function countToPlan(entries: readonly PlanEntry[]): number {
  let count = 0;
  for (const e of entries) if (isToPlan(e) && e.conflict?.kind !== "library_removed") count++;
  return count;
}

function countsOf(entries: readonly PlanEntry[]): Plan["counts"] {
  const counts = { move: 0, ok: 0, held: 0 };
  for (let i = 0; i < entries.length; i++) counts[entries[i].action]++;
  return counts;
}

const STORED_FIELDS = ["author", "title", "narrator", "series", "series_num", "year", "language"] as const;

const profileNeeded = new WeakMap<FieldName[], boolean>();

/** Whether a template shows a field that is not a stored column (asked once per template's field list, not per book). */
function needsProfile(templateFields: FieldName[]): boolean {
  let needed = profileNeeded.get(templateFields);
  if (needed === undefined) profileNeeded.set(templateFields, (needed = templateFields.some((f) => !(STORED_FIELDS as readonly string[]).includes(f))));
  return needed;
}

/** The fields a template shows: the stored columns are the resolved winners (written with every judgement); other fields need the profile resolved. */
function valuesOf(row: PlanBookRow, templateFields: FieldName[], profile: Profile | null): Partial<Record<FieldName, string | null>> {
  // One literal (STORED_FIELDS) rather than seven added keys: this runs once per book of a plan.
  const values: Partial<Record<FieldName, string | null>> = {
    author: row.author,
    title: row.title,
    narrator: row.narrator,
    series: row.series,
    series_num: row.series_num,
    year: row.year,
    language: row.language,
  };
  if (needsProfile(templateFields)) {
    const resolved = resolveProfile(profile ?? parseProfile(row.profile ?? "{}"));
    for (const field of FIELD_NAMES) values[field] = resolved.fields[field].value;
  }
  return values;
}

/** Each shown field whose value differs from what the folder or file name says (the path layer's evidence). */
function fieldChanges(profile: Profile, templateFields: FieldName[], values: Partial<Record<FieldName, string | null>>): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of templateFields) {
    const fromPath = profile.evidence[field]?.find((e) => e.source === "path")?.value ?? null;
    const to = values[field] ?? null;
    if (fromPath !== to) changes.push({ field, from: fromPath, to });
  }
  return changes;
}

/** `roots`: configured(ctx), or null when no library folder is configured. */
function entryFor(ctx: OrganizeContext, row: PlanBookRow, templateFields: FieldName[], withChanges: boolean, roots: Set<string> | null, tops: TopParts, removed: RemovedRoots): PlanEntry {
  const profile = row.profile !== undefined ? parseProfile(row.profile) : null;
  const values = valuesOf(row, templateFields, profile);
  const targetRoot = targetRootOf(ctx, row);
  const fileName = row.kind === "file" ? path.basename(row.path) : "";
  const rootBytes = Buffer.byteLength(targetRoot);
  // A folder book's files keep their paths inside it: the deepest one must fit too, or it would be moved
  // beyond PATH_MAX (the rename of the folder succeeds; opening the file by path then fails).
  const inner = row.kind === "folder" ? deepestInside(row, MAX_ABSOLUTE_PATH_BYTES - rootBytes - 2 - MAX_PATH_BYTES) : null;
  const room = MAX_ABSOLUTE_PATH_BYTES - rootBytes - (fileName ? longestName(fileName, row.sidecars) + 1 : 0) - (inner ? inner.bytes + 1 : 0) - 1;
  const proposed = renderProposedPath(ctx.config.naming_template, values, {
    seriesNumPadding: ctx.config.series_num_padding,
    maxPathBytes: Math.min(1024, room),
  });
  const to = proposed === null ? null : underRoot(targetRoot, proposed, fileName);
  const entry: PlanEntry = {
    book_id: row.id,
    action: to === row.path ? "ok" : "move",
    status: row.status,
    confidence: Math.round(row.confidence),
    kind: row.kind,
    from: row.path,
    to,
    proposed_path: proposed,
    target_root: targetRoot,
    changes: withChanges && profile ? fieldChanges(profile, templateFields, values) : [],
    conflict: null,
    companions: companionNames(row),
  };
  if (row.status === "missing") {
    // It said "run `shelfwise scan`", which the scan that found it gone had just done: a book moved within the library is found there.
    // A given-up folder's part, retired into the book holding its files: those are there, and a scan finds nothing more.
    const joined = joinedReasonNow(ctx.db, getBook(ctx.db, row.id) ?? { status: "", status_reason: null, files: "[]", library_root: "" });
    const reason = joined?.startsWith(JOINED_REASON_START) ? `not a book of its own any more: ${joined}` : NOT_FOUND(row.path);
    hold(entry, { kind: "missing", reason, other_book_id: null });
  }
  else if (roots !== null && !roots.has(row.library_root)) {
    // Taken out of library_paths (`library remove`): scans no longer read it, so what is recorded there may be stale, and
    // the user gave the folder up rather than asked for its books to be sorted. Held with output_path set too: moving
    // books out of a folder the user removed would touch files they said shelfwise should leave alone. With no
    // library folder configured at all in settings made in code (not config.json), nothing is told as removed; in
    // config.json it is the last one removed, whose books apply moved all the same.
    hold(entry, { kind: "library_removed", reason: removed.reason(row.library_root), other_book_id: null });
  } else if (row.locked !== 0) hold(entry, { kind: "locked", reason: lockedReason(ctx, row.id, row.locked), other_book_id: null });
  else if (proposed === null) {
    const known = values.author && values.title;
    hold(entry, known
      ? { kind: "path_too_long", reason: inner ? deepReason(inner, targetRoot) : `the proposed path does not fit under ${targetRoot}; shorten naming_template`, other_book_id: null }
      : { kind: "no_proposal", reason: `author or title unknown; set them with \`shelfwise book ${row.id} --set author=... --set title=...\``, other_book_id: null });
  } else if (entry.action === "move") {
    // Below output_path (which may lie deep in a library folder) even the first name could read as a disc folder.
    const unseen = unscannablePath(proposed, !ctx.config.output_path);
    if (unseen !== null) {
      hold(entry, {
        kind: "unscannable_name",
        reason: UNSCANNABLE(unseen, row.id),
        other_book_id: null,
      });
    } else if (row.kind === "file" && path.dirname(row.path) === row.library_root) {
      const parts = tops.reason(row.library_root);
      if (parts !== null) hold(entry, { kind: "parts_at_library_top", reason: parts, other_book_id: null });
    }
  }
  return entry;
}

/** The last configured folders worked out, by what they depend on (a config may be edited in place: the server's, a test's). */
let configuredFolders: { key: string; folders: Set<string> } | null = null;

/** library_paths and output_path, absolute: worked out once per settings, not per book. */
function configured(ctx: Pick<OrganizeContext, "config" | "dataDir">): Set<string> {
  const key = `${ctx.dataDir}\0${ctx.config.output_path ?? ""}\0${ctx.config.library_paths.join("\0")}`;
  if (configuredFolders?.key !== key) configuredFolders = { key, folders: new Set(libraryFolders(ctx.config, ctx.dataDir)) };
  return configuredFolders.folders;
}

/**
 * Bytes of the longest name a single-file book puts in its new folder: its
 * own, or a companion's (`Dune.jpeg` beside `Dune.m4b`), which moves with it.
 */
function longestName(fileName: string, sidecars: string): number {
  let longest = Buffer.byteLength(fileName);
  if (sidecars.length > 2) for (const p of JSON.parse(sidecars) as string[]) longest = Math.max(longest, Buffer.byteLength(path.basename(p)));
  return longest;
}

/** The longest path inside a folder book, relative to the book folder: its UTF-8 bytes and the path. */
interface Deepest {
  bytes: number;
  rel: string;
}

const deepest = new WeakMap<PlanBookRow, Deepest | null>();

/**
 * The deepest file of a folder book when it could matter, that is when it
 * may be longer than `spare` bytes; null when it surely is not. Every book
 * is planned, so `files` (JSON of `{path,size}` with absolute paths) is
 * parsed only when a cheap bound says it may matter: a `"path":` key cannot
 * occur inside a JSON string (its quotes would be escaped), so each path's
 * value lies between its key and the next one, and a value of n UTF-16 code
 * units is at most 3n UTF-8 bytes.
 */
function deepestInside(row: PlanBookRow, spare: number): Deepest | null {
  const files = row.files;
  // row.path's bytes are at least its length in code units. Not remembered: a later call may have less to spare.
  if (3 * files.length - row.path.length - 1 <= spare) return null;
  const known = deepest.get(row);
  if (known !== undefined) return known;
  let widest = 0;
  for (let at = files.indexOf('"path":'); at !== -1; ) {
    const next = files.indexOf('"path":', at + 7);
    widest = Math.max(widest, (next === -1 ? files.length : next) - at - 7);
    at = next;
  }
  if (3 * widest - row.path.length - 1 <= spare) return null;
  let found: Deepest | null = null;
  const prefix = row.path + path.sep;
  for (const f of JSON.parse(files) as { path: string }[]) {
    if (!f.path.startsWith(prefix)) continue;
    const rel = f.path.slice(prefix.length);
    const bytes = Buffer.byteLength(rel);
    if (found === null || bytes > found.bytes) found = { bytes, rel };
  }
  deepest.set(row, found);
  return found;
}

function deepReason(inner: Deepest, targetRoot: string): string {
  return `the book's deepest file, ${inner.rel} (${inner.bytes} bytes inside the book folder), would not fit within ${MAX_ABSOLUTE_PATH_BYTES} bytes under ${targetRoot}; shorten its name or folders inside the book, or output_path or naming_template`;
}

/** Roots already seen to be normalized (path.join would change nothing but the separators it adds). */
const normalRoots = new Set<string>();

/**
 * path.join(root, proposed, fileName): a rendered path has no empty, "." or
 * ".." component and no separator inside one (sanitizeComponent), so below a
 * normalized root joining is concatenation; path.join's normalization runs
 * once per root instead of once per book.
 */
function underRoot(root: string, proposed: string, fileName: string): string {
  if (!normalRoots.has(root)) {
    if (root === path.sep || path.normalize(root) !== root || root.endsWith(path.sep)) return path.join(root, ...proposed.split("/"), fileName);
    normalRoots.add(root);
  }
  const folder = path.sep === "/" ? `${root}/${proposed}` : path.join(root, ...proposed.split("/"));
  return fileName ? `${folder}${path.sep}${fileName}` : folder;
}

/**
 * The folders above a book's own target folder (author, series) in the
 * spelling they already have: an existing `ursula k. le guin` is used for
 * `Ursula K. Le Guin`, an NFD name for its NFC twin. macOS and Windows (and
 * shares and syncs of the library) see one folder there, so making the
 * other spelling beside it would split the author's books in two, or merge
 * them unasked where the file system folds names. A folder the plan makes
 * takes the spelling of the first proposal that needs it, for the same
 * reason. Where two existing folders fold alike and neither is the exact
 * name, which one is meant is not guessed: the proposal is held.
 */
function respell(entry: PlanEntry, row: PlanBookRow, spellings: FolderSpellings): string {
  const root = entry.target_root;
  const folder = targetFolder(entry);
  const parent = parentOf(folder);
  if (!isUnder(parent, root)) return parent;
  const spelled = spellings.of(parent, root);
  if (typeof spelled !== "string") {
    hold(entry, spelled);
    return parent;
  }
  if (spelled !== parent) {
    entry.to = spelled + entry.to!.slice(parent.length);
    entry.proposed_path = path.relative(root, spelled).split(path.sep).join("/") + "/" + folder.slice(parent.length + 1);
  }
  if (entry.to === row.path) entry.action = "ok";
  // `to` is NFC already (the template's output): only a path with other than ASCII can differ from it in form alone.
  else if (entry.action === "move" && !ASCII.test(row.path) && entry.to!.normalize("NFC") === row.path.normalize("NFC")) {
    // The book's own name differs from the target only in Unicode form (a library copied from macOS, which writes
    // names decomposed): the same name to every reader and to macOS, so it is in place, as its author folder is
    // used as spelled. A rename here would change nothing visible (and nothing at all where names are normalized).
    entry.to = row.path;
    entry.proposed_path = path.relative(root, row.path).split(path.sep).join("/");
    entry.action = "ok";
  }
  return spelled;
}

/** The spelling of each folder on the way to targets, once per folder and plan (see respell). */
class FolderSpellings {
  #spelled = new Map<string, string | Conflict>();
  /** Folders the plan's proposals will make, folded → the first proposal's spelling. */
  #made = new Map<string, string>();

  constructor(private readonly disk: DiskLook) {}

  of(dir: string, root: string): string | Conflict {
    let spelled = this.#spelled.get(dir);
    if (spelled !== undefined) return spelled;
    spelled = this.#spell(dir, root);
    this.#spelled.set(dir, spelled);
    return spelled;
  }

  #spell(dir: string, root: string): string | Conflict {
    let at = root;
    let existing = true;
    for (const name of dir.slice(root.length + 1).split(path.sep)) {
      if (existing) {
        const alike = this.disk.namesLike(at, name);
        if (alike !== null && alike.includes(name)) {
          at = joinName(at, name);
          continue;
        }
        if (alike !== null && alike.length === 1) {
          at = joinName(at, alike[0]);
          continue;
        }
        if (alike !== null && alike.length > 1) {
          const [a, b] = alike.map((n) => joinName(at, n));
          return c(
            "target_exists",
            `${a} and ${b} differ only in case or Unicode form (one folder on macOS and Windows), and the target needs ${joinName(at, name)}; rename or merge them by hand so that one is left`,
          );
        }
        existing = false;
      }
      const made = joinName(at, name);
      const key = foldName(made);
      const first = this.#made.get(key);
      if (first === undefined) this.#made.set(key, (at = made));
      else at = first;
    }
    return at;
  }
}

function joinName(dir: string, name: string): string {
  return dir === path.sep ? path.sep + name : dir + path.sep + name;
}

function hold(entry: PlanEntry, conflict: Conflict): void {
  entry.action = "held";
  entry.conflict = conflict;
}

/** The folder a book will be (a single-file book gets a folder of its own). */
function targetFolder(entry: PlanEntry): string {
  return entry.kind === "file" ? parentOf(entry.to!) : entry.to!;
}

function c(kind: ConflictKind, reason: string, other: number | null = null): Conflict {
  return { kind, reason, other_book_id: other };
}

/**
 * Why a book is not at its recorded path (`found`: what lstat saw there), or
 * null when it is. One rule for a proposed move's source and for a book the
 * plan would call already in place.
 */
function sourceGone(at: string, dir: string, found: unknown, root: string): Conflict | null {
  if (found !== undefined) return null;
  // Not "gone" when this user may not look: a scan would not find it either, and rescanning fixes nothing.
  const denied = unsearchableOnTheWay(dir);
  if (denied !== null) {
    return c(
      "source_unreachable",
      `${at} cannot be reached: this user may not search ${denied} (no x permission); give it back (\`chmod +x\` on that folder, as its owner) or run shelfwise as a user who may, then plan again`,
    );
  }
  // The whole library folder gone (renamed or moved between a plan and an apply, a drive not mounted): "run scan"
  // alone sent the user to a scan that fails on that folder. Asked only of a book already found gone.
  if (lstatOrUndefined(root) === undefined) return c("source_missing", ROOT_GONE(at, root));
  return c("source_missing", SOURCE_MISSING(at));
}

function lstatOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/**
 * A folder book holding files the last scan did not see, which apply refuses (apply.ts refusal): `plan` lists it held
 * so that it does not promise a move apply will not make. Not for apply itself, which looks after its own checks of
 * the files (apply.ts refusal: a changed fingerprint first) and holds the book the same way; one listing of the book's
 * folder per proposed move (~20-30 µs), none for books in place.
 */
function addedToFolder(row: PlanBookRow): Conflict | null {
  if (row.kind !== "folder") return null;
  const added = unscannedInFolder(row);
  return added.length > 0 ? c("added_since_scan", addedSinceScanError(added)) : null;
}

/**
 * A folder book holding shelfwise's data folder, which apply refuses (apply.ts refusal, with these words): a set
 * look-up per proposed move, no look at the disk. A single-file book moves without its folder.
 */
function dataFolderHeld(holders: Set<string>, dataDir: string, entry: PlanEntry): Conflict | null {
  if (entry.kind !== "folder") return null;
  const reason = dataFolderInside(holders, dataDir, entry.from);
  return reason === null ? null : c("holds_data_folder", reason);
}

/** The walk of each folder book's folder (book-contents.ts), with what decides a copy found once per folder. */
class ContentsCheck {
  readonly #devs = new Map<string, number | null>();
  readonly #types = fileSystemTypes();

  constructor(
    private readonly dataPlaces: readonly string[],
    private readonly forced: boolean,
    private readonly disk: DiskLook,
  ) {}

  /** `sourceDir`: parentOf(entry.from); `targetParent`: parentOf(entry.to) (a folder book's). */
  problem(entry: PlanEntry, sourceDir: string, targetParent: string): ContentsProblem | null {
    const anchor = this.disk.nearestExisting(targetParent);
    const from = this.#dev(sourceDir);
    const to = this.#dev(anchor);
    const copy = this.forced || (from !== null && to !== null && from !== to);
    const type = copy ? this.#types(anchor) : null;
    return contentsProblem(entry.from, { copy, restrictedTarget: type !== null && isRestrictedType(type) ? type : null, dataPlaces: this.dataPlaces });
  }

  #dev(dir: string): number | null {
    let dev = this.#devs.get(dir);
    if (dev === undefined) {
      try {
        dev = fs.statSync(dir).dev;
      } catch {
        dev = null;
      }
      this.#devs.set(dir, dev);
    }
    return dev;
  }
}

/** What the conflict checks of one plan look things up in. */
interface Around {
  folderBooks: Map<string, number>;
  recorded: Map<string, number>;
  /** Live books by their path folded (foldName), for the target folders' keys only. */
  folded: Map<string, number>;
  sortedPaths: string[];
  disk: DiskLook;
  /** Target parent folder → the folder books at or above it up to its root, nearest first (folderBooksAbove); the targets of many books share one. */
  booksAbove: Map<string, { root: string; books: [at: string, id: number][] }>;
}

function diskConflict(
  row: PlanBookRow,
  entry: PlanEntry,
  /** parentOf(row.path) */
  sourceDir: string,
  /** parentOf(targetFolder(entry)) */
  parent: string,
  /** foldName(targetFolder(entry)) */
  foldedFolder: string,
  { folderBooks, recorded, folded, sortedPaths, disk, booksAbove }: Around,
): Conflict | null {
  const to = entry.to!;
  const folder = targetFolder(entry);
  const root = entry.target_root;
  const source = disk.lstat(row.path, sourceDir);
  if (source === undefined) return sourceGone(row.path, sourceDir, source, row.library_root);
  if (source.isSymbolicLink() || !disk.isPlainInside(sourceDir, row.library_root)) {
    return c("outside_root", `${row.path} is reached through a link or lies outside its library folder ${row.library_root}; shelfwise moves only what is really inside the library`);
  }
  if (!isUnder(folder, root)) return c("outside_root", `the target ${to} is outside ${root}`);
  const anchor = disk.nearestExisting(parent);
  if (isUnder(anchor, root) && !disk.isPlainInside(anchor, root)) {
    return c("outside_root", `the target folder ${anchor} is a link or leads outside ${root}; shelfwise never follows links out of the library`);
  }
  if (row.kind === "folder" && isUnder(to, row.path)) return c("target_inside_book", `the target ${to} is inside the book's own folder`);
  if (isUnder(anchor, root) && !disk.isFolder(anchor)) {
    return c("target_exists", `${anchor} is a file, where the target needs a folder; nothing is ever overwritten`, recorded.get(anchor) ?? null);
  }
  // Below a folder that does not exist, nothing exists: one look per new folder, not per book.
  // Not known (a folder this user may not look into): the move is refused by apply's permission check, for this book alone.
  if (anchor === parent && lexistsOrUnknown(folder) === true) {
    // On a file system that folds case or Unicode form (vfat, exFAT, NTFS, macOS), `mort` is found as `Mort`: the
    // reason names the folder as it is spelled on disk. A folder book whose own folder it is (`the hobbit` → `The
    // Hobbit`) is renamed through a temporary name (case-rename.ts); a loose file's new folder is not its own.
    const name = folder.slice(parent.length + 1);
    const alike = disk.namesLike(parent, name);
    const spelled = alike !== null && !alike.includes(name) && alike.length === 1 ? joinName(parent, alike[0]) : folder;
    if (!(spelled !== folder && spelled === row.path && row.kind === "folder")) {
      const other = folderBooks.get(spelled) ?? folderBooks.get(folder);
      const differs = spelled === folder ? "" : ` (as ${spelled}: this file system ignores case or Unicode form)`;
      return c("target_exists", `${folder} already exists${differs}; nothing is ever overwritten or merged`, other ?? null);
    }
  }
  if (anchor === parent) {
    // "storm front" beside "Storm Front", or an NFD name beside its NFC twin: one folder on macOS and
    // Windows (and on a share or sync of this library), two look-alike folders here.
    const twin = disk.foldedTwin(parent, folder.slice(parent.length + 1), row.path);
    if (twin !== null) {
      return c("target_exists", `${twin} already exists (its name differs only in case or Unicode form); nothing is ever overwritten or merged`, folderBooks.get(twin) ?? null);
    }
  }
  const recordedId = recorded.get(folder) ?? (to === folder ? undefined : recorded.get(to));
  if (recordedId !== undefined && recordedId !== row.id) {
    return c("target_exists", RECORDED_AT(recordedId, folder), recordedId);
  }
  const twinId = folded.get(foldedFolder);
  if (twinId !== undefined && twinId !== row.id) {
    return c("target_exists", `book #${twinId} is at a path that differs from ${folder} only in case or Unicode form; nothing is ever merged`, twinId);
  }
  let above = booksAbove.get(parent);
  // One root per parent but for nested library folders, where another root's answer is not reused.
  if (above === undefined) booksAbove.set(parent, (above = { root, books: folderBooksAbove(parent, root, folderBooks) }));
  else if (above.root !== root) above = { root, books: folderBooksAbove(parent, root, folderBooks) };
  for (const [at, other] of above.books) {
    if (other !== row.id) return c("target_inside_other_book", `the target is inside book #${other} (${at})`, other);
  }
  // An output_path inside a book folder: every target there is inside that book.
  const host = hostOf(root, folderBooks);
  if (host !== null && host.id !== row.id) return c("target_inside_other_book", `the target is inside book #${host.id} (${host.at}): output_path lies in its folder`, host.id);
  if (row.kind === "folder") {
    const inner = firstInside(sortedPaths, row.path);
    if (inner !== null) return c("holds_other_book", `the book folder holds another book (${inner}); move them by hand or rescan`);
  }
  const toBytes = Buffer.byteLength(to);
  if (toBytes > MAX_ABSOLUTE_PATH_BYTES) return c("path_too_long", `the target path is longer than ${MAX_ABSOLUTE_PATH_BYTES} bytes`);
  // Again here: respelling a folder on the way (an NFD twin) may have changed the target's length.
  if (row.kind === "folder") {
    const inner = deepestInside(row, MAX_ABSOLUTE_PATH_BYTES - toBytes - 1);
    if (inner !== null && toBytes + 1 + inner.bytes > MAX_ABSOLUTE_PATH_BYTES) return c("path_too_long", deepReason(inner, root));
  }
  return null;
}

/** The folder books at `parent` and above it up to `root` (included), nearest first: usually none. */
function folderBooksAbove(parent: string, root: string, folderBooks: Map<string, number>): [at: string, id: number][] {
  const found: [string, number][] = [];
  for (let at = parent; at === root || isUnder(at, root); at = parentOf(at)) {
    const id = folderBooks.get(at);
    if (id !== undefined) found.push([at, id]);
    if (at === root) break;
  }
  return found;
}

const hosts = new WeakMap<Map<string, number>, Map<string, { id: number; at: string } | null>>();

/** The book whose folder holds `root` (strictly above it), or null; once per root and plan. */
function hostOf(root: string, folderBooks: Map<string, number>): { id: number; at: string } | null {
  let byRoot = hosts.get(folderBooks);
  if (byRoot === undefined) hosts.set(folderBooks, (byRoot = new Map()));
  let host = byRoot.get(root);
  if (host === undefined) {
    host = null;
    for (let at = parentOf(root); ; at = parentOf(at)) {
      const id = folderBooks.get(at);
      if (id !== undefined) {
        host = { id, at };
        break;
      }
      if (parentOf(at) === at) break;
    }
    byRoot.set(root, host);
  }
  return host;
}

/** Two proposals for one folder, or one inside another's: all of them are held. `keys`: each one's target folder folded. */
function markTargetClashes(candidates: PlanEntry[], keys: string[]): void {
  // Each folder's last proposal; the proposals of a folder proposed more than once, apart (usually none: no list per folder).
  const byFolder = new Map<string, PlanEntry>();
  let shared: Map<string, PlanEntry[]> | null = null;
  /** The lengths of the folded target folders: a folder above a target can be another target only when its length is one of them. */
  const lengths = new Set<number>();
  for (let i = 0; i < candidates.length; i++) {
    const entry = candidates[i];
    // Case and normalization folded: on macOS and Windows these are one folder.
    const key = keys[i];
    const first = byFolder.get(key);
    if (first !== undefined) {
      shared ??= new Map();
      const list = shared.get(key);
      if (list) list.push(entry);
      else shared.set(key, [first, entry]);
    }
    byFolder.set(key, entry);
    lengths.add(key.length);
  }
  for (const list of shared?.values() ?? []) {
    for (const entry of list) {
      if (entry.action === "held") continue;
      const other = list.find((e) => e !== entry)!;
      hold(entry, { kind: "duplicate_target", reason: `book #${other.book_id} is proposed for the same place`, other_book_id: other.book_id });
    }
  }
  for (let i = 0; i < candidates.length; i++) {
    const entry = candidates[i];
    const folder = targetFolder(entry);
    const rootLength = entry.target_root.length;
    if (ASCII.test(folder)) {
      // An ASCII path folds character by character (no normalization, one character for one): the folded folders
      // above it are its folded key's prefixes, cut at the same separators. One of a length no target has is none
      // (in a plan from one template, targets lie at one depth: none is above another), so it is not cut out and looked up.
      const key = keys[i];
      for (let end = key.lastIndexOf(path.sep); end > rootLength; end = key.lastIndexOf(path.sep, end - 1)) if (lengths.has(end)) nested(entry, byFolder.get(key.slice(0, end)));
    } else {
      for (let at = parentOf(folder); at.length > rootLength; at = parentOf(at)) nested(entry, byFolder.get(foldName(at)));
    }
  }
}

/** Holds both of two proposals when one's target folder is inside the other's. */
function nested(entry: PlanEntry, outer: PlanEntry | undefined): void {
  if (!outer || outer === entry) return;
  for (const [e, o] of [[entry, outer], [outer, entry]] as const) {
    if (e.action !== "held") hold(e, { kind: "target_inside_other_book", reason: `the target and book #${o.book_id}'s target are nested`, other_book_id: o.book_id });
  }
}

const ASCII = /^[\x00-\x7f]*$/;

/** A name as macOS and Windows compare them: case and Unicode normalization folded. */
function foldName(name: string): string {
  return (ASCII.test(name) ? name : name.normalize("NFC")).toLowerCase();
}

/** The first book path strictly inside `dir`, by binary search in sorted paths. */
function firstInside(sorted: string[], dir: string): string | null {
  const prefix = dir + path.sep;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < prefix) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo].startsWith(prefix) ? sorted[lo] : null;
}

/**
 * Looks at the disk for a plan, each folder once: real paths (a folder is
 * "plainly inside" a root when no link on the way leads elsewhere), which
 * folders exist, and the books themselves. Books that share a folder with
 * many others (an inbox) are looked up in one listing of that folder rather
 * than one lstat each.
 */
/** What a plan saw of folders on the way to its targets, for the moves that follow. */
export interface FolderKnowledge {
  /** Whether `dir` existed when the plan looked (undefined: it did not look). */
  existed(dir: string): boolean | undefined;
  /** The entries of `dir`, listed once per run (by the plan, or now): the companion check reads the plan's listing. */
  entries(dir: string): fs.Dirent[] | null;
}

class DiskLook implements FolderKnowledge {
  #reals = new Map<string, string | null>();
  #existing = new Map<string, string>();
  /** Root → folder → whether the folder is plainly inside the root. */
  #plain = new Map<string, Map<string, boolean>>();
  /** Folder → its entries by name (undefined: to be listed when first asked; null: could not be listed). */
  #listings = new Map<string, Map<string, fs.Dirent> | null | undefined>();

  #real(p: string): string | null {
    let real = this.#reals.get(p);
    if (real === undefined) {
      try {
        real = fs.realpathSync.native(p);
      } catch {
        real = null;
      }
      this.#reals.set(p, real);
    }
    return real;
  }

  isPlainInside(dir: string, root: string): boolean {
    let byDir = this.#plain.get(root);
    if (byDir === undefined) this.#plain.set(root, (byDir = new Map()));
    let plain = byDir.get(dir);
    if (plain === undefined) {
      const realRoot = this.#real(root);
      plain = realRoot !== null && (dir === root || isUnder(dir, root)) && this.#real(dir) === path.join(realRoot, path.relative(root, dir));
      byDir.set(dir, plain);
    }
    return plain;
  }

  #folders = new Map<string, boolean>();

  /** Whether `p` is a folder (links not followed: a link was judged by isPlainInside). */
  isFolder(p: string): boolean {
    let folder = this.#folders.get(p);
    if (folder === undefined) {
      try {
        folder = fs.lstatSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
      } catch {
        folder = false;
      }
      this.#folders.set(p, folder);
    }
    return folder;
  }

  /** Folder → its entries' names folded (case, NFC) → their paths, made when first asked. */
  #folded = new Map<string, Map<string, string[]> | null>();

  /** The names in `dir` that fold to the same as `name` (`name` itself among them when it is there); null when `dir` cannot be listed. */
  namesLike(dir: string, name: string): string[] | null {
    const byKey = this.#foldedListing(dir);
    if (byKey === null) return null;
    const skip = dir === path.sep ? 1 : dir.length + 1;
    return (byKey.get(foldName(name)) ?? []).map((at) => at.slice(skip));
  }

  #foldedListing(dir: string): Map<string, string[]> | null {
    let byKey = this.#folded.get(dir);
    if (byKey === undefined) {
      const listed = this.entries(dir);
      if (listed === null) byKey = null;
      else {
        byKey = new Map();
        for (let i = 0; i < listed.length; i++) {
          const entry = listed[i].name;
          const key = foldName(entry);
          const list = byKey.get(key);
          const at = dir === path.sep ? path.sep + entry : dir + path.sep + entry;
          if (list) list.push(at);
          else byKey.set(key, [at]);
        }
      }
      this.#folded.set(dir, byKey);
    }
    return byKey;
  }

  /** Folder → its entries, listed once per run whoever asks (the conflict checks, the companion check); null: could not be listed. */
  #dirents = new Map<string, fs.Dirent[] | null>();

  entries(dir: string): fs.Dirent[] | null {
    let listed = this.#dirents.get(dir);
    if (listed === undefined) {
      try {
        listed = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        listed = null;
      }
      this.#dirents.set(dir, listed);
    }
    return listed;
  }

  /** An entry of `dir` other than `name` itself and `except` whose name folds to the same as `name`, or null. */
  foldedTwin(dir: string, name: string, except: string): string | null {
    const byKey = this.#foldedListing(dir);
    const own = dir === path.sep ? path.sep + name : dir + path.sep + name;
    for (const at of byKey?.get(foldName(name)) ?? []) if (at !== own && at !== except) return at;
    return null;
  }

  existed(dir: string): boolean | undefined {
    const nearest = this.#existing.get(dir);
    return nearest === undefined ? undefined : nearest === dir;
  }

  /**
   * The nearest folder at or above `dir` that exists. Looked at from the top
   * down, so that below a missing folder nothing is looked up: many targets
   * share each new author folder.
   */
  nearestExisting(dir: string): string {
    const hit = this.#existing.get(dir);
    if (hit !== undefined) return hit;
    const up = path.dirname(dir);
    let found: string;
    if (up === dir) found = dir;
    else {
      const above = this.nearestExisting(up);
      found = above === up && lexistsOrUnknown(dir) === true ? dir : above;
    }
    this.#existing.set(dir, found);
    return found;
  }

  /**
   * Folders worth one listing rather than an lstat per book: where at least
   * four of the books looked at live, and they are a good share of what the
   * folder holds (a listing costs one entry per name in it).
   */
  listFolders(sourceDirs: string[], places: readonly BookPlace[]): void {
    const wanted = new Map<string, number>();
    for (let i = 0; i < sourceDirs.length; i++) wanted.set(sourceDirs[i], (wanted.get(sourceDirs[i]) ?? 0) + 1);
    for (const [dir, n] of wanted) if (n < 4) wanted.delete(dir);
    if (wanted.size === 0) return;
    const recorded = countInside(wanted.keys(), places);
    for (const [dir, n] of wanted) if (n * 4 >= (recorded.get(dir) ?? 0)) this.#listings.set(dir, undefined);
  }

  /** What is at `p` (links not followed), or undefined when nothing is. `dir`: parentOf(p). */
  lstat(p: string, dir: string): { isSymbolicLink(): boolean } | undefined {
    if (this.#listings.has(dir)) {
      let listing = this.#listings.get(dir);
      if (listing === undefined) {
        const listed = this.entries(dir);
        if (listed === null) listing = null;
        else {
          // Filled in a loop rather than from [name, entry] pairs: an inbox lists thousands of books.
          listing = new Map();
          for (let i = 0; i < listed.length; i++) listing.set(listed[i].name, listed[i]);
        }
        this.#listings.set(dir, listing);
      }
      const hit = listing?.get(p.slice(dir.length + (dir.endsWith(path.sep) ? 0 : 1)));
      // A name the listing lacks is looked up itself (a case-insensitive file system finds it).
      if (hit) return hit;
    }
    try {
      return fs.lstatSync(p, { throwIfNoEntry: false });
    } catch {
      return undefined;
    }
  }
}

/**
 * The first folder from the top down to `dir` that this user may not search
 * (access X_OK refused), or null. Asked only for a book not found, so it
 * costs nothing on the way of a normal plan.
 */
function unsearchableOnTheWay(dir: string): string | null {
  const parts: string[] = [];
  for (let at = dir; ; at = parentOf(at)) {
    parts.push(at);
    if (parentOf(at) === at) break;
  }
  for (const at of parts.reverse()) {
    try {
      fs.accessSync(at, fs.constants.X_OK);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EACCES") return at;
      return null;
    }
  }
  return null;
}

/** p.startsWith(dir + path.sep) without making that string (this runs several times per book). */
function isUnder(p: string, dir: string): boolean {
  return p.length > dir.length && p.charCodeAt(dir.length) === SEP && p.startsWith(dir);
}

const SEP = path.sep.charCodeAt(0);

/**
 * parentOf of each entry's `from`, the previous one's string reused while the books are of one folder (rows come in
 * path order: an inbox's books one after another): the maps that look the folder up then hash it once, not per book.
 */
function sharedParents(entries: readonly PlanEntry[]): string[] {
  const parents: string[] = new Array<string>(entries.length);
  let last = "";
  for (let i = 0; i < entries.length; i++) {
    const p = entries[i].from;
    parents[i] = last !== "" && isUnder(p, last) && p.indexOf(path.sep, last.length + 1) === -1 ? last : (last = parentOf(p));
  }
  return parents;
}

/** path.dirname for the absolute, normalized paths a plan handles (no trailing separator), without its checks: it runs per book. */
function parentOf(p: string): string {
  const at = p.lastIndexOf(path.sep);
  return at > 0 ? p.slice(0, at) : at === 0 ? path.sep : path.dirname(p);
}

/**
 * How many of the places' paths lie directly in each of `dirs` (absolute, normalized).
 * Every book of the library is counted: a path's folder is compared with the
 * few folders of that length instead of being cut out and looked up. By index
 * over the places (not a Map's keys): an iteration makes a result object per
 * book where this runs unoptimized, as it does once per plan.
 */
function countInside(dirs: Iterable<string>, places: readonly BookPlace[]): Map<string, number> {
  const byLength = new Map<number, string[]>();
  for (const dir of dirs) {
    const list = byLength.get(dir.length);
    if (list) list.push(dir);
    else byLength.set(dir.length, [dir]);
  }
  const counts = new Map<string, number>();
  for (let i = 0; i < places.length; i++) {
    const p = places[i][1];
    const at = p.lastIndexOf(path.sep);
    // "/x" lies in "/": its folder is one character long.
    const candidates = byLength.get(at === 0 ? 1 : at);
    if (candidates === undefined) continue;
    for (const dir of candidates) {
      // Of the length of p's folder (parentOf(p)), and its start: that folder.
      if (p.startsWith(dir)) {
        counts.set(dir, (counts.get(dir) ?? 0) + 1);
        break;
      }
    }
  }
  return counts;
}

/** The fields a template shows (`{author_lf}` shows the author). */
function fieldsOf(template: string): FieldName[] {
  const out = new Set<FieldName>();
  for (const m of template.matchAll(/\{(\w+)\}/g)) {
    const name = m[1].startsWith("author_") ? "author" : m[1];
    if ((FIELD_NAMES as readonly string[]).includes(name)) out.add(name as FieldName);
  }
  return [...out];
}

/**
 * Who locked the book, and how to lift it: `undo` locks each book it moves back (so the next apply does not move it
 * again), which "locked by the user" misnamed. Only a plan of given ids holds locked books (others are left out), so
 * this is asked once per such book.
 */
function lockedReason(ctx: OrganizeContext, bookId: number, locked: number): string {
  // 1: `book --lock`. An undo of a shelfwise from before undo's lock was told apart wrote 1 too: migration 27 made those 2.
  const undo = locked === LOCKED_BY_UNDO ? lastUndoOf(ctx.db, bookId) : undefined;
  if (undo === undefined) return `locked by the user (\`shelfwise book ${bookId} --unlock\`)`;
  const undid = undo.undoes === null ? "" : ` undoing move ${undo.undoes}`;
  return `locked by undo, not by you: move ${undo.move_id}${undid} moved it back and locked it so that apply would not move it again (\`shelfwise book ${bookId} --unlock\` lets apply propose it again)`;
}
