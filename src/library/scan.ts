/**
 * Walks library roots and lists the audiobooks in them, with every file's size
 * and mtime and a fingerprint per book. Nothing in a tree stops a scan: each
 * unreadable folder, broken or looping link and unopenable name becomes one
 * problem entry (path + what to do) and the walk goes on.
 *
 * What is a book (see book-detect.ts for the name rules):
 * - A folder whose audio files sit directly in it, or in disc/part subfolders
 *   (`CD1`, `Disc 2`, `Part 3`, `Side A`...), is a folder book; everything
 *   under a disc folder belongs to the parent book, and a folder holding only
 *   disc folders is a book too. A library root is never a folder book.
 * - Loose audio files are single-file books (kind 'file', path = the file)
 *   when they sit in a library root, beside folders that hold books, or when
 *   their names do not look like chapters of one book (`looksLikeOneBook`).
 * - A folder whose subfolders are books (author, series) is not a book; its
 *   loose audio files are single-file books. Except a folder the last scan
 *   recorded as a folder book (ScanOptions.folderBooks), when a book folder
 *   has been put inside it: it stays the book of its own audio files (and disc
 *   folders), and the folder inside is a book of its own. `plan` holds such a
 *   host (`holds_other_book`) and `undo` refuses to move it back; the inner
 *   book moves on its own.
 * - Only audio files are a book's files. Sidecars the sidecar layer reads
 *   (metadata.json, metadata.abs, *.opf, desc.txt, reader.txt directly in a folder book) are
 *   listed apart and are part of the fingerprint, so adding one re-queues the
 *   book; other files (cover.jpg) are ignored.
 * - An audio file's companions are listed with the sidecars too: files
 *   beside it with the same stem (compared ignoring case) and an extension
 *   of book-detect.ts's companion list (`Dune.m4b`: `Dune.jpg`, `Dune.opf`,
 *   `Dune.cue`). They give a single-file book its cover, metadata and cue
 *   sheet: a loose file's companions move with it (organize/), and a folder
 *   book lists them as well, so the folder `apply` makes for a loose book
 *   has the fingerprint the loose book had. A stem shared by two audio files
 *   (`Dune.m4b` beside `Dune.mp3`) has no companions: whose would they be?
 *   Files in disc subfolders have none of their own (the whole folder moves).
 *
 * Decisions the spec left open:
 * - Dot-prefixed entries are skipped, files too (macOS `._01.mp3` resource
 *   forks look like audio), as are NAS/OS junk folders (`@eaDir`, `#recycle`...).
 * - Names that are not valid UTF-8 are reported ("rename it") and skipped:
 *   Node's string paths cannot open them, and the store keeps paths as TEXT.
 * - A link to a folder is followed once, when its target lies outside every
 *   library root; a target inside a root is scanned at its real place (so a
 *   target inside a skipped folder is not scanned), a target that holds the
 *   link is reported as a loop, and a second link to the same target is
 *   ignored. Book paths keep the link path, so they can be opened.
 * - Walking uses synchronous readdir/stat: on this 2-core machine it measured
 *   about twice as fast as promise-based readdir/stat at any concurrency
 *   (4 to 64 in flight). The walk yields to the event loop every 256 folders
 *   or 50 ms, so progress reports, abort signals and a server's other work get
 *   through; one slow readdir on a network share still blocks while it runs.
 */
import fs from "node:fs";
import path from "node:path";
import { audioExtension, companionStem, hasCompanionExtension, isDiscFolderName, isPartOfFolder, isSidecarName, isSkippedName, looksLikeOneBook } from "./book-detect.js";
import { decodeEightBit } from "./eight-bit-text.js";
import { fingerprintLine, fingerprintText } from "./fingerprint.js";
import { takeFolderStamp } from "./folder-stamp.js";
import { ScannedBook } from "./scanned-book.js";
import { StatPool, type StatFailure } from "./stat-pool.js";
import { UTF8_RENAME_COMMAND } from "../domain/utf8-rename.js";

export { ScannedBook, type ScannedFile } from "./scanned-book.js";

export interface ScanProblem {
  path: string;
  message: string;
}

export interface ScanProgress {
  folders: number;
  books: number;
}

export interface ScanOptions {
  onProgress?: (progress: ScanProgress) => void;
  signal?: AbortSignal;
  /** Files stat'ed on the calling thread before a worker thread takes over (default 4096; tests use 0). */
  inlineStats?: number;
  /**
   * Folders never walked into, with everything under them: shelfwise's own
   * data folder (plugins with sample audio, caches) when it sits inside a
   * library. A root itself is always scanned.
   */
  skip?: string[];
  /**
   * Every library folder the user has, scanned now or not. A book under a
   * library folder nested inside a scanned root belongs to the innermost one,
   * as it does when both are scanned, so scanning only the outer folder does
   * not give its books another root (which would re-identify them).
   */
  libraryFolders?: string[];
  /**
   * The folders the last scan recorded as folder books. One of them stays a
   * folder book when a book folder appears inside it (moved there by hand):
   * its own audio files are still its book, not loose single-file books, so
   * it keeps its id instead of going `missing`.
   */
  folderBooks?: ReadonlySet<string>;
}

export interface ScanResult {
  books: ScannedBook[];
  problems: ScanProblem[];
}

/** Yield to the event loop (progress, abort, a server's other work) after this many folders or ms. */
const YIELD_EVERY = 256;
const YIELD_AFTER_MS = 50;
const SEP = path.sep;
const NATURAL = new Intl.Collator("en", { numeric: true, sensitivity: "variant" });

interface Folder {
  name: string;
  path: string;
  /** Real path, kept by concatenation so loops can be spotted without a stat per folder. */
  real: string;
}

/**
 * A file found in a folder; lives until its book is built, so a walk keeps no
 * object per file. Size and mtime are filled in by the stat pool, maybe later.
 */
interface Entry {
  /** Path relative to the folder the entry is listed for (`CD1/01.mp3` for disc files). */
  name: string;
  /** -1 when the file could not be stat'ed (reported; the file is left out). */
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  /** An audio file's companions (same stem, see scan's header), when it has any. */
  companions?: Entry[];
}

/** A book whose files may still be waiting for their stats. */
interface PendingBook {
  path: string;
  kind: "folder" | "file";
  root: string;
  files: Entry[];
  sidecars: Entry[];
  /** The stat pool's mark when the book was decided: its files are filled once that many batches are done. */
  needs: number;
  /** The folder's stamp (folder-stamp.ts) when its listing held nothing but the book's files; null otherwise. */
  stamp: string | null;
}

interface Listing {
  audio: Entry[];
  sidecars: Entry[];
  folders: Folder[];
  /** Whether some audio file here has companions. */
  companions?: boolean;
  /**
   * The folder's stamp, taken before it was listed, when the listing held no folder, no link and no name that is
   * not valid UTF-8 (a folder inside can gain files without its parent's ctime changing): null otherwise.
   */
  stamp: string | null;
}

interface Walk {
  root: string;
  /** Library folders strictly inside the root being walked, innermost (longest) first. */
  nestedRoots: string[];
  books: ScannedBook[];
  problems: ScanProblem[];
  reported: Set<string>;
  /** Real paths scanned from elsewhere: the roots and every followed link target. */
  covered: Set<string>;
  /** Real paths of the folders never walked into (ScanOptions.skip). */
  skipped: Set<string>;
  rootReals: string[];
  followed: string[];
  folders: number;
  untilYield: number;
  lastYield: number;
  options: ScanOptions;
  stats: StatPool;
  pending: PendingBook[];
  pendingHead: number;
  /** Whether each device's ctimes make folder stamps (folder-stamp.ts), asked once per device in this scan. */
  localDevices: Map<bigint, boolean>;
}

export async function scanLibrary(roots: string[], options: ScanOptions = {}): Promise<ScanResult> {
  options.signal?.throwIfAborted();
  const walk: Walk = {
    root: "",
    nestedRoots: [],
    books: [],
    problems: [],
    reported: new Set(),
    covered: new Set(),
    skipped: realPaths(options.skip ?? []),
    rootReals: [],
    followed: [],
    folders: 0,
    untilYield: YIELD_EVERY,
    lastYield: performance.now(),
    options,
    stats: new StatPool({ inlineFiles: options.inlineStats, onFailure: (failure) => reportStatFailure(walk, failure) }),
    pending: [],
    pendingHead: 0,
    localDevices: new Map(),
  };
  try {
    const starts = openRoots(roots, walk);
    const folders = (options.libraryFolders ?? []).map((folder) => path.resolve(folder));
    for (const start of starts) {
      walk.root = start.path;
      walk.nestedRoots = folders.filter((f) => f.startsWith(withSep(start.path))).sort((a, b) => b.length - a.length);
      await walkRoot(start, walk);
    }
    await walk.stats.drain();
    settleBooks(walk);
  } finally {
    walk.stats.close();
  }
  // Sorted, so two scans of one tree give the same lists whatever readdir's order.
  walk.books.sort((a, b) => compareCodeUnits(a.path, b.path));
  walk.problems.sort((a, b) => compareCodeUnits(a.path, b.path));
  options.onProgress?.({ folders: walk.folders, books: walk.books.length });
  return { books: walk.books, problems: walk.problems };
}

/** Resolves the roots, reporting the ones that cannot be scanned; duplicates are dropped. */
function openRoots(roots: string[], walk: Walk): Folder[] {
  const starts: Folder[] = [];
  for (const given of roots) {
    if (given.trim() === "") {
      report(walk, given, "library folder path is empty; give the folder that holds your audiobooks");
      continue;
    }
    const root = path.resolve(given);
    let real: string;
    try {
      if (!fs.statSync(root).isDirectory()) {
        report(walk, root, "not a folder: a library root must be the folder that holds your audiobooks");
        continue;
      }
      real = fs.realpathSync(root);
    } catch (err) {
      report(walk, root, describeRootError(err));
      continue;
    }
    if (walk.covered.has(real)) continue;
    walk.covered.add(real);
    walk.rootReals.push(real);
    starts.push({ name: path.basename(root), path: root, real });
  }
  return starts;
}

/** A folder being walked: its listing and how far its subfolders have been visited. */
interface Frame {
  folder: Folder;
  isRoot: boolean;
  listing: Listing;
  next: number;
  childBooks: number;
  discFiles: Entry[];
}

/**
 * Walks one root depth-first with an explicit stack, so the walk can pause
 * between any two folders without an awaited call per folder. A folder's
 * books are decided after its subfolders, because loose files beside book
 * folders are single-file books.
 */
async function walkRoot(root: Folder, walk: Walk): Promise<void> {
  const stack: Frame[] = [];
  const open = (folder: Folder, isRoot: boolean): void => {
    const listing = listFolder(folder, walk);
    if (listing) stack.push({ folder, isRoot, listing, next: 0, childBooks: 0, discFiles: [] });
  };
  open(root, true);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    const subfolders = frame.listing.folders;
    if (frame.next < subfolders.length) {
      const sub = subfolders[frame.next++];
      if (timeToYield(walk)) await pause(walk);
      if (!frame.isRoot && (isDiscFolderName(sub.name) || isPartOfFolder(sub.name, frame.folder.name))) collectDisc(sub, sub.name + SEP, frame.discFiles, walk);
      else open(sub, false);
      continue;
    }
    stack.pop();
    const { folder, listing, discFiles, isRoot, childBooks } = frame;
    // Loose files beside book folders are single-file books, but for a recorded folder book with a book folder put
    // inside it: that one stays the book of its own files, and the folder inside is a book of its own.
    const looseOnly = isRoot || (childBooks > 0 && walk.options.folderBooks?.has(folder.path) !== true);
    const books = addBooks(folder, listing, discFiles, looseOnly, walk);
    if (stack.length > 0) stack[stack.length - 1].childBooks += childBooks + books;
  }
}

/**
 * Everything under a disc folder belongs to the parent book, nested folders
 * included. Disc folders are small, so this does not stop to yield.
 */
function collectDisc(folder: Folder, rel: string, into: Entry[], walk: Walk): void {
  const listing = listFolder(folder, walk, false);
  if (!listing) return;
  // The same objects, renamed: their stats may still be on the way.
  for (const file of listing.audio) {
    file.name = rel + file.name;
    into.push(file);
  }
  for (const sub of listing.folders) collectDisc(sub, rel + sub.name + SEP, into, walk);
}

/**
 * Turns a folder's audio into books: one folder book, or one book per loose
 * file when `looseOnly` (library root, or book folders beside the files) or
 * when the names do not look like one book's chapters. Returns the count.
 */
function addBooks(folder: Folder, listing: Listing, discFiles: Entry[], looseOnly: boolean, walk: Walk): number {
  const audio = listing.audio;
  if (audio.length === 0 && discFiles.length === 0) return 0;
  const oneBook =
    discFiles.length > 0 || (!looseOnly && (audio.length === 1 || looksLikeOneBook(audio.map((f) => f.name))));
  if (oneBook) {
    const files = discFiles.length > 0 ? audio.concat(discFiles) : audio;
    // With disc folders the book's files are in folders of their own, which its folder's stamp says nothing of.
    pushBook(walk, folder.path, "folder", files, listing.companions ? withCompanions(listing.sidecars, audio) : listing.sidecars, discFiles.length === 0 ? listing.stamp : null);
    return 1;
  }
  const prefix = withSep(folder.path);
  for (const file of audio) pushBook(walk, prefix + file.name, "file", [file], file.companions ?? [], null);
  return audio.length;
}

/** A folder book's sidecars and its audio files' companions, each file once (a companion `Title.opf` is both). */
function withCompanions(sidecars: Entry[], audio: Entry[]): Entry[] {
  const all = new Set(sidecars);
  for (const file of audio) if (file.companions) for (const companion of file.companions) all.add(companion);
  return [...all];
}

function pushBook(walk: Walk, bookPath: string, kind: "folder" | "file", files: Entry[], sidecars: Entry[], stamp: string | null): void {
  if (files.length > 1) files.sort(compareEntries);
  if (sidecars.length > 1) sidecars.sort(compareEntries);
  const root = walk.nestedRoots.find((nested) => bookPath.startsWith(withSep(nested))) ?? walk.root;
  walk.pending.push({ path: bookPath, kind, root, files, sidecars, needs: walk.stats.mark, stamp });
  settleBooks(walk);
}

/** Builds the books whose stats are all in, oldest first (books wait in the order they were decided). */
function settleBooks(walk: Walk): void {
  const { pending, stats } = walk;
  while (walk.pendingHead < pending.length && pending[walk.pendingHead].needs <= stats.completed) {
    const book = pending[walk.pendingHead++];
    buildBook(walk, book);
  }
  // Drop settled books from the queue, or their file objects would live as long as the scan.
  if (walk.pendingHead === pending.length) {
    pending.length = 0;
    walk.pendingHead = 0;
  } else if (walk.pendingHead >= 256) {
    pending.splice(0, walk.pendingHead);
    walk.pendingHead = 0;
  }
}

/**
 * A sidecar added, edited or removed changes the fingerprint: the book is
 * identified again. Files whose stat failed were reported and are left out; a
 * book left with no audio is no book (its files vanished during the scan).
 */
function buildBook(walk: Walk, book: PendingBook): void {
  const files = withoutFailed(book.files);
  if (files.length === 0) return;
  const sidecars = withoutFailed(book.sidecars);
  let text = "";
  let changed = 0;
  for (const file of files) {
    text += fingerprintLine(file.name, file.size, file.mtimeMs);
    if (file.ctimeMs > changed) changed = file.ctimeMs;
  }
  for (const file of sidecars) {
    text += fingerprintLine(file.name, file.size, file.mtimeMs);
    if (file.ctimeMs > changed) changed = file.ctimeMs;
  }
  // A file left out (its stat failed) is in the folder but not among the book's files: a listing would name it.
  const stamp = files === book.files && sidecars === book.sidecars ? book.stamp : null;
  walk.books.push(new ScannedBook(book.path, book.kind, book.root, fingerprintText(text), text, files.length, changed, stamp));
}

/** The entries whose stat worked; the same array when all did (the usual case: no copy). */
function withoutFailed(entries: Entry[]): Entry[] {
  return entries.some((entry) => entry.size < 0) ? entries.filter((entry) => entry.size >= 0) : entries;
}

/**
 * Lists audio files (with stats), sidecars, the audio files' companions
 * (unless `companions` is false: a disc folder) and subfolders to visit;
 * undefined when the folder cannot be read.
 */
function listFolder(folder: Folder, walk: Walk, companions = true): Listing | undefined {
  // Before the listing (a change after the stat changes the ctime the stamp holds); a disc folder or a root is never a folder book.
  let stamp = companions && folder.path !== walk.root ? takeFolderStamp(folder.path, walk.localDevices) : null;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(folder.path, { withFileTypes: true });
  } catch (err) {
    report(walk, folder.path, describeError(err, "folder"));
    return undefined;
  }
  walk.folders++;
  const prefix = withSep(folder.path);
  if (hasReplacementChar(entries)) {
    entries = dropInvalidNames(prefix, entries, walk);
    stamp = null;
  }
  const realPrefix = withSep(folder.real);
  const listing: Listing = { audio: [], sidecars: [], folders: [], stamp: null };
  let links: string[] | undefined;
  /** Files that may be companions, decided once every audio file of the folder is known. */
  let candidates: string[] | undefined;
  for (const entry of entries) {
    const name = entry.name;
    if (isSkippedName(name)) continue;
    if (entry.isDirectory()) {
      stamp = null;
      const real = realPrefix + name;
      // Another root (or a followed link target) nested here is walked on its own.
      if (!walk.covered.has(real) && !walk.skipped.has(real)) listing.folders.push({ name, path: prefix + name, real });
    } else if (entry.isFile()) {
      if (audioExtension(name) !== undefined) statFile(prefix, name, listing.audio, walk);
      else if (companions && hasCompanionExtension(name)) (candidates ??= []).push(name);
      // Noted here, where the folder is listed anyway, so the sidecar layer need not list it again.
      else if (isSidecarName(name)) statFile(prefix, name, listing.sidecars, walk);
    } else if (entry.isSymbolicLink()) {
      stamp = null;
      (links ??= []).push(name);
    }
  }
  listing.stamp = stamp;
  // In name order, so which of two links to one target is followed does not depend on readdir order.
  if (links) for (const name of links.sort(compareCodeUnits)) followLink(folder, name, prefix + name, listing, walk);
  if (candidates) addCompanions(prefix, candidates, listing, walk);
  return listing;
}

/**
 * Gives each audio file the candidates sharing its stem, when no other audio
 * file of the folder has that stem; sidecar names are stat'ed either way
 * (one Entry when a file is both). Files that are neither are never stat'ed.
 */
function addCompanions(prefix: string, candidates: string[], listing: Listing, walk: Walk): void {
  const wanted = new Set<string>();
  for (const name of candidates) wanted.add(companionStem(name));
  /** Stem → the one audio file with it, or null when several share it. */
  const owners = new Map<string, Entry | null>();
  for (const file of listing.audio) {
    const stem = companionStem(file.name);
    if (wanted.has(stem)) owners.set(stem, owners.has(stem) ? null : file);
  }
  for (const name of candidates) {
    const owner = owners.get(companionStem(name));
    const sidecar = isSidecarName(name);
    if (!owner && !sidecar) continue;
    const entry: Entry = { name, size: 0, mtimeMs: 0, ctimeMs: 0 };
    walk.stats.add(prefix + name, entry);
    if (sidecar) listing.sidecars.push(entry);
    if (owner) {
      (owner.companions ??= []).push(entry);
      listing.companions = true;
    }
  }
}

function statFile(prefix: string, name: string, into: Entry[], walk: Walk): void {
  const entry: Entry = { name, size: 0, mtimeMs: 0, ctimeMs: 0 };
  into.push(entry);
  walk.stats.add(prefix + name, entry);
}

function reportStatFailure(walk: Walk, failure: StatFailure): void {
  const message = failure.code === "ENOENT" ? "file vanished during the scan; scan again" : describeError(failure, "file");
  report(walk, failure.path, message);
}

/** Links to audio files count as files; links to folders are followed at most once. */
function followLink(parent: Folder, name: string, linkPath: string, listing: Listing, walk: Walk): void {
  let stats: fs.Stats;
  let real: string;
  try {
    stats = fs.statSync(linkPath);
    if (stats.isFile()) {
      if (audioExtension(name) !== undefined) {
        listing.audio.push({ name, size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs });
      }
      return;
    }
    if (!stats.isDirectory()) return;
    real = fs.realpathSync(linkPath);
  } catch (err) {
    report(walk, linkPath, describeError(err, "link"));
    return;
  }
  if (isSameOrInside(parent.real, real)) {
    report(walk, linkPath, `link loop: points to ${real}, a folder that holds this link; not followed`);
    return;
  }
  const scannedElsewhere =
    walk.covered.has(real) || walk.rootReals.some((r) => isSameOrInside(real, r)) || walk.followed.some((f) => isSameOrInside(real, f));
  if (scannedElsewhere) return;
  for (const skipped of walk.skipped) if (isSameOrInside(real, skipped)) return;
  walk.covered.add(real);
  walk.followed.push(real);
  listing.folders.push({ name, path: linkPath, real });
}

/** The real paths of the folders that exist among `folders`. */
function realPaths(folders: string[]): Set<string> {
  const reals = new Set<string>();
  for (const folder of folders) {
    try {
      reals.add(fs.realpathSync(path.resolve(folder)));
    } catch {
      // Not there: nothing to skip.
    }
  }
  return reals;
}

function hasReplacementChar(entries: fs.Dirent[]): boolean {
  for (const entry of entries) if (entry.name.includes("\uFFFD")) return true;
  return false;
}

/**
 * Node decodes names as UTF-8 and replaces bad bytes with U+FFFD, giving a
 * path that opens nothing. Re-read the folder as bytes, report each name that
 * does not survive the round trip, and keep only entries that do (a name may
 * legitimately contain U+FFFD). Such a file is no part of its book's file
 * list, but a folder book still moves with it (organize/ copies names as
 * bytes); such a folder is not scanned at all.
 */
function dropInvalidNames(prefix: string, entries: fs.Dirent[], walk: Walk): fs.Dirent[] {
  let raw: fs.Dirent<Buffer>[];
  try {
    raw = fs.readdirSync(prefix, { encoding: "buffer", withFileTypes: true });
  } catch {
    return entries;
  }
  const valid = new Map<string, number>();
  for (const entry of raw) {
    const bytes = entry.name;
    const name = bytes.toString("utf8");
    if (Buffer.from(name, "utf8").equals(bytes)) valid.set(name, (valid.get(name) ?? 0) + 1);
    else if (!isSkippedName(name)) report(walk, prefix + name, invalidNameMessage(bytes, entry.isDirectory()));
  }
  return entries.filter((entry) => {
    if (!entry.name.includes("\uFFFD")) return true;
    const left = valid.get(entry.name) ?? 0;
    if (left === 0) return false;
    valid.set(entry.name, left - 1);
    return true;
  });
}

/**
 * Names that are not UTF-8 are nearly always Windows-1252 or Latin-1 (a zip
 * made on Windows, an old Samba share): the message shows that reading, so
 * the user sees which name is meant, and how to fix a whole tree at once.
 */
function invalidNameMessage(bytes: Buffer, folder: boolean): string {
  const hex = bytes.toString("hex").replace(/(..)(?!$)/g, "$1 ");
  const what = folder ? "folder skipped with everything in it" : "file skipped (a book folder holding it still moves whole)";
  return (
    `${what}: its name is not valid UTF-8 (bytes: ${hex}; as Windows-1252: "${decodeEightBit(bytes)}"); ` +
    `rename it so it can be opened (\`${UTF8_RENAME_COMMAND}\` renames a whole tree)`
  );
}

function timeToYield(walk: Walk): boolean {
  return --walk.untilYield <= 0 || performance.now() - walk.lastYield > YIELD_AFTER_MS;
}

async function pause(walk: Walk): Promise<void> {
  walk.untilYield = YIELD_EVERY;
  walk.lastYield = performance.now();
  // Hand the stat worker what is queued, and take in what it has done meanwhile.
  walk.stats.flush();
  await new Promise<void>((resolve) => setImmediate(resolve));
  settleBooks(walk);
  walk.options.signal?.throwIfAborted();
  walk.options.onProgress?.({ folders: walk.folders, books: walk.books.length });
}

function report(walk: Walk, problemPath: string, message: string): void {
  if (walk.reported.has(problemPath)) return;
  walk.reported.add(problemPath);
  walk.problems.push({ path: problemPath, message });
}

function describeRootError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "library folder not found: check the path, or mount the drive or share that holds it";
  if (code === "ENOTDIR") return "not a folder: part of this path is a file";
  return describeError(err, "folder");
}

function describeError(err: unknown, what: "folder" | "file" | "link"): string {
  const code = (err as { code?: string }).code;
  switch (code) {
    case "EACCES":
    case "EPERM":
      return `cannot read ${what}: permission denied; give the user running shelfwise read access`;
    case "ENOENT":
      return what === "link" ? "broken link: its target does not exist; fix or remove the link" : `${what} vanished during the scan; scan again`;
    case "ENOTDIR":
      return what === "link"
        ? "broken link: part of its target path is a file, not a folder; fix or remove the link"
        : "expected a folder but found a file; scan again";
    case "ELOOP":
      return "link loop: the link leads back to itself through other links; fix or remove it";
    case "ENAMETOOLONG":
      return "path is too long for the system to open; shorten the folder or file names";
    case "EIO":
      return `read error on ${what}: the disk or network share may be failing`;
    default:
      return `cannot read ${what}: ${(err as { message?: string }).message ?? String(err)}`;
  }
}

function withSep(p: string): string {
  return p.endsWith(SEP) ? p : p + SEP;
}

function isSameOrInside(child: string, ancestor: string): boolean {
  return child === ancestor || child.startsWith(withSep(ancestor));
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Playback order: CD2 before CD10, 9 before 10; code units break ties. Names
 * are relative to the book folder, which orders them as their full paths
 * (the common prefix ends in a separator).
 */
function compareEntries(a: Entry, b: Entry): number {
  return NATURAL.compare(a.name, b.name) || compareCodeUnits(a.name, b.name);
}
