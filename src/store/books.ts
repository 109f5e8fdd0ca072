import crypto from "node:crypto";
import { parseFingerprintText, roundedCopyOf, shapeText } from "../domain/fingerprint-text.js";
import { isAtOrInside, isInside } from "../domain/path-inside.js";
import { USER_SOURCE } from "../domain/fields.js";
import type { Statement } from "better-sqlite3";
import type { Db } from "./database.js";
import { nowIso } from "./database.js";
import { statement } from "./statement-cache.js";
import { profileOf } from "./book-profiles.js";
import { joinGivenUpParts, nameRetiredParts } from "./given-up-parts.js";
import { FOLDED_EQUALS, foldedFilter, registerFold } from "./book-queries.js";

/** A row of `books` as stored (JSON columns still encoded). */
export interface BookRow {
  id: number;
  path: string;
  kind: "folder" | "file";
  library_root: string;
  status: string;
  status_reason: string | null;
  author: string | null;
  title: string | null;
  narrator: string | null;
  series: string | null;
  series_num: string | null;
  year: string | null;
  language: string | null;
  confidence: number;
  profile: string;
  proposed_path: string | null;
  fingerprint: string;
  files: string;
  /** JSON array of sidecar file paths (metadata.json, metadata.abs, *.opf, desc.txt, reader.txt) and companions (same stem as an audio file: Dune.jpg beside Dune.m4b). */
  sidecars: string;
  tags: string | null;
  locked: number;
  /** Bumped by every change of status, evidence, files or lock: what a conditional write compares. */
  row_version: number;
  created_at: string;
  updated_at: string;
  scanned_at: string;
  /** The folder's stamp taken by the scan (library/folder-stamp.ts; migration 23), or null. */
  folder_stamp?: string | null;
}

/** What the scanner hands over (structurally the scanner's ScannedBook). */
export interface ScanInput {
  path: string;
  kind: "folder" | "file";
  library_root: string;
  files: { path: string; size: number; mtime_ms?: number }[];
  sidecars?: { path: string }[];
  fingerprint: string;
  /** The latest ctime among the book's files (absent: not known, nothing is compared). */
  ctime_ms?: number;
  /**
   * The text the fingerprint hashes (each file's name relative to the book, size and exact mtime), kept with the
   * book: a later scan that finds its files elsewhere with mtimes a copy rounded still knows it (absent: not kept).
   */
  listing?: string;
  /**
   * A folder book's folder stamp (library/folder-stamp.ts), taken before the scan listed it: while it holds, apply
   * stats the folder instead of listing it for files added since (absent or null: it lists).
   */
  folder_stamp?: string | null;
}

/**
 * The layers that read what is inside a book's files (built-in ids,
 * pipeline/layers/builtin-ids.ts): when only ctimes moved, only they run again.
 */
export const FILE_CONTENT_LAYERS = ["embedded_tags", "sidecar"] as const;

export interface ScanSummary {
  found: number;
  new: number;
  changed: number;
  unchanged: number;
  missing: number;
  returned: number;
  /** Books found under a new path with the same files (moved outside shelfwise): same id, evidence and corrections. */
  moved: number;
  /** Of `moved`, those found under another library folder (a library folder renamed or moved, and library_paths edited). */
  moved_library: number;
  /** Of `moved`, those whose files' mtimes a copy rounded (FAT, exFAT, a copy dropping the fraction of a second): see roundedMatches. */
  moved_rounded: number;
  /**
   * Duplicate records merged (see mergeDuplicates): a book recorded twice by an older shelfwise, at its place under
   * a library folder given up and under the new one, now one book with the first record's id, evidence and corrections.
   */
  merged: number;
  /** Duplicate records left as two books, since the newer one holds something of the user's (corrections, a lock, moves). */
  duplicates: number;
  /** Records under a library folder given up whose files are part of a book this scan found (given-up-parts.ts). */
  parts_joined: number;
  /**
   * Books whose files were rewritten in place with their names, sizes and
   * mtimes kept (a tag editor that preserves timestamps; also chmod, chown, a
   * restore): their tags and sidecars are read again, nothing else.
   */
  touched: number;
}

/** Statuses a book moves through. `missing` books keep every row and result. */
export const BOOK_STATUSES = ["new", "pending", "identified", "needs_attention", "missing"] as const;

/**
 * Reconciles one scan with the database in a single transaction.
 * `settledRoots` are the roots that were read completely: only books under
 * them (and not under `unreadable` folders) can be marked missing, so an
 * unmounted drive or a permission problem never makes a library "vanish".
 */
export function applyScan(
  db: Db,
  books: ScanInput[],
  settledRoots: string[],
  unreadable: string[] = [],
  leftBehind?: LeftBehind,
  outOfLibrary?: LeftBehind,
): ScanSummary {
  const summary: ScanSummary = { found: books.length, new: 0, changed: 0, unchanged: 0, missing: 0, returned: 0, moved: 0, moved_library: 0, moved_rounded: 0, merged: 0, duplicates: 0, parts_joined: 0, touched: 0 };
  const now = nowIso();
  const update = db.prepare(
    `UPDATE books SET kind = ?, library_root = ?, fingerprint = ?, files = ?, sidecars = ?, status = 'pending',
       status_reason = NULL, updated_at = ?, scanned_at = ?, files_ctime = ?, listing = ?, folder_stamp = ?, row_version = row_version + 1 WHERE id = ?`,
  );
  // Not a change of the book (no row_version bump): when its files last changed on disk.
  const setCtime = db.prepare("UPDATE books SET files_ctime = ? WHERE id = ?");
  const clearContentRuns = db.prepare(
    `DELETE FROM layer_runs WHERE book_id = ? AND layer_id IN (${FILE_CONTENT_LAYERS.map(() => "?").join(", ")})`,
  );
  const revive = db.prepare(
    "UPDATE books SET status = 'pending', status_reason = NULL, scanned_at = ?, updated_at = ?, row_version = row_version + 1 WHERE id = ?",
  );
  const clearRuns = db.prepare("DELETE FROM layer_runs WHERE book_id = ?");
  // Not an absolute path, so never a book's: where a row waits while books trade places.
  const park = db.prepare("UPDATE books SET path = ? WHERE id = ?");
  // The fingerprint too: a copy that rounded the mtimes (roundedMatches) has the same files with other times.
  const relocate = db.prepare(
    `UPDATE books SET path = ?, kind = ?, library_root = ?, files = ?, sidecars = ?, fingerprint = ?, listing = ?, folder_stamp = ?,
       status = CASE WHEN status = 'missing' THEN 'pending' ELSE status END,
       status_reason = CASE WHEN status = 'missing' THEN NULL ELSE status_reason END, updated_at = ?, scanned_at = ?,
       files_ctime = ?, row_version = row_version + 1 WHERE id = ?`,
  );
  // Not a change of the book either: what a database from before listings were kept learns at its next scan.
  const setListing = db.prepare("UPDATE books SET listing = ? WHERE id = ?");

  // Every statement here writes a table with triggers (the search queue, row versions), so SQLite keeps a statement
  // journal of the pages it changes, which past 64 KiB spills to a temporary file, written and read back per page.
  // In memory that is a few hundred KiB at most (one statement's pages); what is committed is as durable as before.
  // Marking 20,000 books missing or back took ~550 ms of CPU through the file, ~300 ms in memory.
  // (Not switched inside a caller's transaction, where SQLite may refuse it.)
  const tempStore = db.inTransaction ? 2 : (db.pragma("temp_store", { simple: true }) as number);
  if (tempStore !== 2) db.pragma("temp_store = MEMORY");
  try {
    db.transaction(() => {
      // One read of what is known, then writes only for what changed: a rescan of
      // an unchanged library costs one query, not one per book.
      const known = knownBooks(db);
      // Books kept without their listing (scanned before listings were kept, or whose copy changed the fingerprint):
      // one read of a partial index, empty once every book was scanned again.
      const unlisted = new Set(statement(db, "SELECT path FROM books WHERE listing IS NULL").pluck().all() as string[]);
      const unknown: ScanInput[] = [];
      /** Books at a known path with other files: changed, or another book moved there (two folders swapped). */
      const differing: ScanInput[] = [];
      for (const book of books) {
        const row = known.get(book.path);
        if (!row) {
          unknown.push(book);
          continue;
        }
        if (row.fingerprint !== book.fingerprint) {
          differing.push(book);
          continue;
        }
        row.seen = true;
        if (book.listing !== undefined && unlisted.has(book.path)) setListing.run(book.listing, row.id);
        if (row.libraryRoot !== book.library_root) {
          // Same files, another library folder (one nested inside another was added or removed): the path
          // relative to the root says something else now, so the book is identified again, like a changed one.
          update.run(book.kind, book.library_root, book.fingerprint, encodeFiles(book.files), encodeSidecars(book), now, now, book.ctime_ms ?? null, ...listed(book), row.id);
          clearRuns.run(row.id);
          summary.changed++;
          continue;
        }
        if (book.ctime_ms !== undefined && book.ctime_ms !== row.ctime) {
          if (row.ctime !== null && book.ctime_ms > row.ctime) {
            // Rewritten in place: what the files hold is read again; the rest of the evidence stands.
            clearContentRuns.run(row.id, ...FILE_CONTENT_LAYERS);
            summary.touched++;
          }
          // A first value (a database from before ctimes were kept), or one that went back (a restore): the new baseline.
          setCtime.run(book.ctime_ms, row.id);
        }
        if (row.status === "missing") {
          // Same files are back: results still hold, but the final status is decided again.
          revive.run(now, now, row.id);
          summary.returned++;
        } else {
          summary.unchanged++;
        }
      }
      const settled = new Set(settledRoots);
      const moved = movedBooks(known, differing.length > 0 ? [...unknown, ...differing] : unknown, settled, unreadable, leftBehind);
      keepPlaceable(moved, known, differing);
      // Then, among what is left, the same files with mtimes a copy rounded: only at paths no book was known at.
      const rounded = roundedMatches(db, known, moved, unknown, differing, (bookPath, row) => knownGone(bookPath, row, settled, unreadable, leftBehind));
      for (const [book, row] of rounded) moved.set(book, row);
      // A book may move to a path another moved book leaves (a swap): every path is freed before any is taken.
      const intoKnownPath = [...moved.keys()].some((book) => known.has(book.path));
      if (intoKnownPath) for (const row of moved.values()) park.run(`:moving:${row.id}`, row.id);
      for (const [book, row] of moved) {
        row.seen = true;
        relocate.run(book.path, book.kind, book.library_root, encodeFiles(book.files), encodeSidecars(book), book.fingerprint, ...listed(book), now, now, book.ctime_ms ?? null, row.id);
        summary.moved++;
        if (row.libraryRoot !== book.library_root) summary.moved_library++;
        if (rounded.has(book)) summary.moved_rounded++;
      }
      for (const book of differing) {
        if (moved.has(book)) continue;
        const row = known.get(book.path)!;
        if (!row.seen) {
          row.seen = true;
          update.run(book.kind, book.library_root, book.fingerprint, encodeFiles(book.files), encodeSidecars(book), now, now, book.ctime_ms ?? null, ...listed(book), row.id);
          clearRuns.run(row.id);
          summary.changed++;
          continue;
        }
        // Its row moved away with its files (keepPlaceable allows that only when a known book took the place,
        // so this is a safety net): never relocate and overwrite one row, the files here are a new book.
        unknown.push(book);
      }
      const heldApart = mergeDuplicates(db, known, books, (bookPath, row) => !settled.has(row.libraryRoot) && knownGone(bookPath, row, settled, unreadable, leftBehind), summary, (book, row) =>
        relocate.run(book.path, book.kind, book.library_root, encodeFiles(book.files), encodeSidecars(book), book.fingerprint, ...listed(book), now, now, book.ctime_ms ?? null, row.id),
      );
      let fresh = moved.size > 0 ? unknown.filter((book) => !moved.has(book)) : unknown;
      // A given-up library folder that was one book's folder: its parts' records are that book's files now.
      const joined = joinGivenUpParts(db, known, books, new Set(fresh), settledRoots, holdsUserValues, now);
      summary.parts_joined = joined.joined;
      for (const [book, row] of joined.kept) {
        row.seen = true;
        relocate.run(book.path, book.kind, book.library_root, encodeFiles(book.files), encodeSidecars(book), book.fingerprint, ...listed(book), now, now, book.ctime_ms ?? null, row.id);
        // Its path (a folder now, under another library folder) says something else: identified again, corrections kept.
        revive.run(now, now, row.id);
        clearRuns.run(row.id);
      }
      if (joined.kept.size > 0) fresh = fresh.filter((book) => !joined.kept.has(book));
      insertBooks(db, fresh, now);
      nameRetiredParts(db, joined.retired, now);
      summary.new += fresh.length;
      // Unchanged books are not written at all: `scanned_at` is when a scan last
      // recorded a change, so a rescan of an unchanged library costs one read.
      summary.missing = markMissing(db, known, settledRoots, unreadable, now, outOfLibrary, heldApart);
      // IMMEDIATE: the write lock is taken (or waited for) before the read, so a
      // writer that commits in between cannot make this transaction fail half-way.
    }).immediate();
  } finally {
    if (tempStore !== 2) db.pragma(`temp_store = ${tempStore}`);
  }
  return summary;
}

/**
 * Books at a new path whose files (names, sizes, mtimes: the fingerprint) are
 * those of a known book no longer at its own path: the same book, moved
 * outside shelfwise. Matched one to one. Where the files are those of several
 * (identical copies: two gone and one found, or one gone and two found), the
 * name decides, and only when it does: the one candidate whose folder (or
 * file) name is the other side's, as a folder moved by hand keeps its name.
 * Otherwise nothing is guessed: the found one is a new book, the gone ones
 * go missing (their evidence and corrections may differ, and picking the
 * wrong one would carry another book's under these files).
 */
function movedBooks(
  known: Map<string, KnownBook>,
  unknown: ScanInput[],
  settled: Set<string>,
  unreadable: string[],
  leftBehind: LeftBehind | undefined,
): Map<ScanInput, KnownBook> {
  const matches = new Map<ScanInput, KnownBook>();
  if (unknown.length === 0) return matches;
  const found = new Map<string, ScanInput[]>();
  for (const book of unknown) {
    const same = found.get(book.fingerprint);
    if (same) same.push(book);
    else found.set(book.fingerprint, [book]);
  }
  const gone = new Map<string, [path: string, row: KnownBook][]>();
  for (const [bookPath, row] of known) {
    if (row.seen || !found.has(row.fingerprint)) continue;
    if (!knownGone(bookPath, row, settled, unreadable, leftBehind)) continue;
    const same = gone.get(row.fingerprint);
    if (same) same.push([bookPath, row]);
    else gone.set(row.fingerprint, [[bookPath, row]]);
  }
  for (const [fingerprint, rows] of gone) {
    const books = found.get(fingerprint)!;
    if (rows.length === 1 && books.length === 1) matches.set(books[0]!, rows[0]![1]);
    else if (books.length === 1) {
      const named = rows.filter(([p]) => baseName(p) === baseName(books[0]!.path));
      if (named.length === 1) matches.set(books[0]!, named[0]![1]);
    } else if (rows.length === 1) {
      const named = books.filter((book) => baseName(book.path) === baseName(rows[0]![0]));
      if (named.length === 1) matches.set(named[0]!, rows[0]![1]);
    }
  }
  return matches;
}

/**
 * Whether a known book this scan did not find is known to be gone: missing
 * already, under a root this scan read in full, or (asked of the caller, one
 * stat per candidate) not on disk under a library folder given up (renamed,
 * moved, removed). A book under a folder this scan could not read may still
 * be where it was.
 */
function knownGone(bookPath: string, row: KnownBook, settled: Set<string>, unreadable: string[], leftBehind: LeftBehind | undefined): boolean {
  if (row.status !== "missing" && !settled.has(row.libraryRoot) && !(leftBehind?.(bookPath, row.libraryRoot) ?? false)) return false;
  return !unreadable.some((dir) => isInside(bookPath, dir));
}

/**
 * Books found at a path no book was known at, matched by no fingerprint,
 * whose files are a gone book's as a copy that rounds mtimes leaves them
 * (to FAT or exFAT and back: 2 s, 10 ms, or the fraction of a second
 * dropped): the same names and sizes, every mtime within the step and
 * rounded the same way (domain/fingerprint-text.ts roundedCopyOf). Matched
 * only one to one: a found book with two such gone books, or a gone book
 * with two such found ones (copies of one rip, two books alike to the byte
 * count), is no match at all, never a guess that makes two books one. Books
 * kept without their exact mtimes (listing NULL: not scanned since they were
 * kept) cannot be compared and are left out.
 */
function roundedMatches(
  db: Db,
  known: Map<string, KnownBook>,
  moved: Map<ScanInput, KnownBook>,
  unknown: ScanInput[],
  differing: ScanInput[],
  gone: (bookPath: string, row: KnownBook) => boolean,
): Map<ScanInput, KnownBook> {
  const matches = new Map<ScanInput, KnownBook>();
  const byShape = new Map<string, ScanInput[]>();
  for (const book of unknown) {
    if (book.listing === undefined || moved.has(book)) continue;
    const shape = shapeText(book.listing);
    const same = byShape.get(shape);
    if (same) same.push(book);
    else byShape.set(shape, [book]);
  }
  if (byShape.size === 0) return matches;
  const taken = new Set(moved.values());
  // A path whose files changed keeps its own book (see keepPlaceable): its row is not gone.
  const changedAt = new Set(differing.map((book) => book.path));
  // Listings are read only here, of the books known to be gone (a point read each): books under a library folder
  // this scan did not read and that is still there cost a look-up of their folder's answer, no read.
  const listingOf = statement(db, "SELECT listing FROM books WHERE id = ?").pluck();
  const candidates = new Map<ScanInput, KnownBook[]>();
  const claims = new Map<KnownBook, number>();
  for (const [bookPath, row] of known) {
    if (row.seen || taken.has(row) || changedAt.has(bookPath) || !gone(bookPath, row)) continue;
    const listing = listingOf.get(row.id) as string | null;
    const books = listing === null ? undefined : byShape.get(shapeText(listing));
    // A listing that no longer hashes to the row's fingerprint says nothing of its files now.
    if (!books || sha1(listing!) !== row.fingerprint) continue;
    const stored = parseFingerprintText(listing!);
    for (const book of books) {
      if (!roundedCopyOf(stored, parseFingerprintText(book.listing!))) continue;
      const rows = candidates.get(book);
      if (rows) rows.push(row);
      else candidates.set(book, [row]);
      claims.set(row, (claims.get(row) ?? 0) + 1);
    }
  }
  for (const [book, rows] of candidates) if (rows.length === 1 && claims.get(rows[0]!) === 1) matches.set(book, rows[0]!);
  return matches;
}

/**
 * Books recorded twice by a shelfwise from before library folders renamed
 * were recognized: the first record left at its place under the old folder
 * (gone from disk, the folder out of library_paths or gone, so no scan marks
 * it missing: it stays `identified`), the second made when the new folder
 * was scanned, with the same files (names, sizes, mtimes). Merged only one
 * to one (one such old record and one book found with those files) and only
 * when nothing of the user's is lost: the old record keeps its id, evidence,
 * corrections and lock and takes the new one's place; the new record goes,
 * which is allowed only when it holds no correction or lock of the user's
 * and no move of its own (the journal names it). Otherwise both are left as
 * they are and counted (`duplicates`; `status` lists them): which of two
 * sets of corrections is right only the user can say.
 */
function mergeDuplicates(
  db: Db,
  known: Map<string, KnownBook>,
  books: ScanInput[],
  gone: (bookPath: string, row: KnownBook) => boolean,
  summary: ScanSummary,
  relocate: (book: ScanInput, row: KnownBook) => void,
): Set<KnownBook> {
  const heldApart = new Set<KnownBook>();
  // A rescan that found every recorded book costs one pass over them and nothing more.
  const unseen: [string, KnownBook][] = [];
  for (const entry of known) if (!entry[1].seen && entry[1].status !== "missing") unseen.push(entry);
  if (unseen.length === 0) return heldApart;
  const found = new Map<string, ScanInput | null>();
  for (const book of books) found.set(book.fingerprint, found.has(book.fingerprint) ? null : book);
  const old = new Map<string, KnownBook | null>();
  for (const [bookPath, row] of unseen) {
    // One stat per record whose files were found elsewhere, none for the others.
    if (!found.has(row.fingerprint) || !gone(bookPath, row)) continue;
    old.set(row.fingerprint, old.has(row.fingerprint) ? null : row);
  }
  if (old.size === 0) return heldApart;
  const userOwned = statement(db, `SELECT ${profileOf("books")} AS profile, locked, EXISTS (SELECT 1 FROM moves WHERE book_id = books.id) AS moved FROM books WHERE id = ?`);
  const remove = statement(db, "DELETE FROM books WHERE id = ?");
  for (const [fingerprint, first] of old) {
    const book = found.get(fingerprint);
    if (!first || !book) continue;
    const second = known.get(book.path);
    // The files found at a place recorded for them (the duplicate), not a book new or moved in this scan.
    if (!second || second === first || !second.seen || second.fingerprint !== fingerprint) continue;
    const own = userOwned.get(second.id) as { profile: string; locked: number; moved: number };
    if (own.locked || own.moved || holdsUserValues(own.profile)) {
      summary.duplicates++;
      heldApart.add(first);
      continue;
    }
    remove.run(second.id);
    relocate(book, first);
    first.seen = true;
    summary.merged++;
  }
  return heldApart;
}

function holdsUserValues(profile: string): boolean {
  if (profile.trim() === "") return false;
  // Read loosely, not by parseProfile: that module loads the name parsing, which `books` and `status` never need
  // (test/cli/start-up.test.ts), and a profile that cannot be read is kept as holding anything anyway.
  try {
    const evidence: unknown = (JSON.parse(profile) as { evidence?: unknown }).evidence ?? {};
    if (typeof evidence !== "object" || evidence === null) return true;
    return Object.values(evidence).some((list) => !Array.isArray(list) || list.some((e) => (e as { source?: unknown } | null)?.source === USER_SOURCE));
  } catch {
    return true;
  }
}

function sha1(text: string): string {
  return crypto.createHash("sha1").update(text).digest("hex");
}

/** The listing column of a book (NULL when the scanner gave no listing). */
/** The listing and the folder stamp, written together with the files they describe (a stamp never outlives them). */
function listed(book: ScanInput): [string | null, string | null] {
  return [book.listing ?? null, book.folder_stamp ?? null];
}

/**
 * Whether a book recorded at `bookPath` under `libraryRoot`, a root this scan
 * did not read, is gone from a library folder given up: the caller's policy
 * (store reads no disk). Only asked of books whose files were found elsewhere.
 */
export type LeftBehind = (bookPath: string, libraryRoot: string) => boolean;

function baseName(p: string): string {
  return p.slice(p.lastIndexOf("/") + 1);
}

/**
 * Keeps the matches of books that traded places, and only those, where a
 * path's files changed: a book found at a known book's path (by other files)
 * moves there only when that known book moves away, and a known book leaves
 * a path whose files changed only for a book recognized there. So a book
 * edited in place keeps its row even when an untouched copy of its old files
 * turns up elsewhere, and two swapped folders keep theirs. Dropping one match
 * can undo another's reason, so this repeats until nothing changes.
 */
function keepPlaceable(moved: Map<ScanInput, KnownBook>, known: Map<string, KnownBook>, differing: ScanInput[]): void {
  if (differing.length === 0) return;
  const changedAt = new Map<KnownBook, ScanInput>();
  for (const book of differing) changedAt.set(known.get(book.path)!, book);
  for (let changed = true; changed; ) {
    changed = false;
    const leaving = new Set(moved.values());
    for (const [book, row] of moved) {
      const holder = known.get(book.path);
      const left = changedAt.get(row);
      if ((holder !== undefined && !leaving.has(holder)) || (left !== undefined && !moved.has(left))) {
        moved.delete(book);
        changed = true;
      }
    }
  }
}

interface KnownBook {
  id: number;
  fingerprint: string;
  status: string;
  libraryRoot: string;
  ctime: number | null;
  seen: boolean;
}

/** Answered from the books_scan index alone, never from the (large) rows. */
export const KNOWN_BOOKS_SQL = "SELECT path, id, fingerprint, status, library_root, files_ctime FROM books";

function knownBooks(db: Db): Map<string, KnownBook> {
  const rows = db.prepare(KNOWN_BOOKS_SQL).raw().all() as [string, number, string, string, string, number | null][];
  const map = new Map<string, KnownBook>();
  for (const [p, id, fingerprint, status, libraryRoot, ctime] of rows) map.set(p, { id, fingerprint, status, libraryRoot, ctime, seen: false });
  return map;
}

/**
 * Books under a settled root that the scan did not find, except under unreadable folders; and books under a
 * library folder taken out of library_paths whose place is gone (asked of the caller: `outOfLibrary`), which no
 * scan reads any more: `status` said "`shelfwise scan` records what changed" of them, and no scan ever did.
 */
function markMissing(db: Db, known: Map<string, KnownBook>, roots: string[], unreadable: string[], now: string, outOfLibrary?: LeftBehind, heldApart?: Set<KnownBook>): number {
  const settled = new Set(roots);
  const mark = db.prepare("UPDATE books SET status = 'missing', status_reason = ?, updated_at = ?, row_version = row_version + 1 WHERE id = ?");
  let count = 0;
  for (const [bookPath, row] of known) {
    if (row.seen || row.status === "missing") continue;
    if (!settled.has(row.libraryRoot)) {
      // A duplicate held apart stays as it is, listed by `status`, for the user to settle and the next scan to merge.
      if (!heldApart?.has(row) && outOfLibrary?.(bookPath, row.libraryRoot)) {
        mark.run("not found where it was recorded, under a folder no longer in library_paths", now, row.id);
        count++;
      }
      continue;
    }
    if (unreadable.some((dir) => isAtOrInside(bookPath, dir))) continue;
    mark.run("not found by the last scan", now, row.id);
    count++;
  }
  return count;
}

/**
 * Rows per INSERT statement of new books. The books table has triggers (the search queue, migration 7), and a
 * statement on a table with triggers keeps a statement journal of every page it changes, one per statement: with
 * a row per statement that is ~14 pages (the row and its twelve index entries) copied per book, spilled to a
 * temporary file past 64 KiB. Many rows per statement share the pages they append to: a first scan of 20,000
 * books took ~1,150 ms of CPU in the database one row at a time, ~400 ms 64 at a time (256: no better).
 */
const INSERT_CHUNK = 64;
const INSERT_COLUMNS = "(path, kind, library_root, status, fingerprint, files, sidecars, created_at, updated_at, scanned_at, files_ctime, listing, folder_stamp)";
const INSERT_ROW = "(?, ?, ?, 'new', ?, ?, ?, ?, ?, ?, ?, ?, ?)";

/** Inserts the books as `new`, in their order (ids ascend with it), INSERT_CHUNK rows per statement. */
function insertBooks(db: Db, books: ScanInput[], now: string): void {
  const values: unknown[] = [];
  const run = (from: number, to: number, insert: Statement) => {
    values.length = 0;
    for (let i = from; i < to; i++) {
      const book = books[i]!;
      values.push(book.path, book.kind, book.library_root, book.fingerprint, encodeFiles(book.files), encodeSidecars(book), now, now, now, book.ctime_ms ?? null, ...listed(book));
    }
    insert.run(values);
  };
  const prepare = (rows: number) => db.prepare(`INSERT INTO books ${INSERT_COLUMNS} VALUES ${Array(rows).fill(INSERT_ROW).join(", ")}`);
  let at = 0;
  if (books.length >= INSERT_CHUNK) {
    const full = prepare(INSERT_CHUNK);
    for (; at + INSERT_CHUNK <= books.length; at += INSERT_CHUNK) run(at, at + INSERT_CHUNK, full);
  }
  if (at < books.length) run(at, books.length, prepare(books.length - at));
}

function encodeSidecars(book: ScanInput): string {
  return JSON.stringify((book.sidecars ?? []).map((f) => f.path));
}

function encodeFiles(files: ScanInput["files"]): string {
  return JSON.stringify(files.map((f) => ({ path: f.path, size: f.size })));
}

/** Every book (in path order), or those of some statuses, of an author, of a series: the same rule as the web app's filters (store/book-queries.ts FOLDED_EQUALS). */
export function listBooks(db: Db, filter: { statuses?: readonly string[]; author?: string; series?: string } = {}): BookRow[] {
  const where: string[] = [];
  const params: string[] = [];
  if (filter.statuses) {
    where.push(`b.status IN (${filter.statuses.map(() => "?").join(", ")})`);
    params.push(...filter.statuses);
  }
  for (const column of ["author", "series"] as const) {
    const value = filter[column];
    if (value === undefined) continue;
    where.push(FOLDED_EQUALS[column]);
    params.push(foldedFilter(value));
  }
  registerFold(db);
  return db.prepare(`SELECT b.*, ${profileOf("b")} AS profile FROM books b ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY b.path`).all(...params) as BookRow[];
}

/**
 * Of the books `gone` (not missing, not at their recorded place), those whose
 * files (the fingerprint) are recorded for another book that is not missing
 * and not gone: a book recorded twice by an older shelfwise, the duplicate
 * scan could not merge (see mergeDuplicates), or a book copied and the
 * original since deleted, which the next scan settles. One read of an index.
 */
export function duplicateRecordIds(db: Db, gone: readonly number[]): number[] {
  if (gone.length === 0) return [];
  const away = new Set(gone);
  const there = new Set<string>();
  const fingerprints = new Map<number, string>();
  for (const [id, fingerprint] of statement(db, "SELECT id, fingerprint FROM books WHERE status != 'missing'").raw().all() as [number, string][]) {
    if (away.has(id)) fingerprints.set(id, fingerprint);
    else there.add(fingerprint);
  }
  return gone.filter((id) => there.has(fingerprints.get(id) ?? ""));
}

/** One page of every book's place by id (missing ones included), after `afterId`: [id, path, status, fingerprint]. */
export type BookPlacePage = [id: number, path: string, status: string, fingerprint: string][];

/**
 * A page of the books' places in id order (the primary key: no sort), read a page at a time by a caller that lets
 * other work run between pages (the web dashboard's disk check: one read of 100,000 rows held the server for a second).
 */
export function listBookPlacesAfter(db: Db, afterId: number, limit: number): BookPlacePage {
  return statement(db, "SELECT id, path, status, fingerprint FROM books WHERE id > ? ORDER BY id LIMIT ?").raw().all(afterId, limit) as BookPlacePage;
}

/** Where every book is recorded (missing ones included): what a plan checks targets against. [id, path, kind, status] */
export type BookPlace = [id: number, path: string, kind: "folder" | "file", status: string];

/** Whether any book not already missing is recorded under the library folder `root`. */
export function hasBooksUnder(db: Db, root: string): boolean {
  return statement(db, "SELECT 1 FROM books WHERE library_root = ? AND status != 'missing' LIMIT 1").get(root) !== undefined;
}

/** Whether any book at all (missing ones included) is recorded under the library folder `root`. */
export function hasAnyBookUnder(db: Db, root: string): boolean {
  return statement(db, "SELECT 1 FROM books WHERE library_root = ? LIMIT 1").get(root) !== undefined;
}

/** The paths of every folder book recorded (missing ones included): a scan keeps them folder books (see library/scan.ts). */
export function folderBookPaths(db: Db): Set<string> {
  return new Set((statement(db, "SELECT path FROM books WHERE kind = 'folder'").pluck().all() as string[]));
}

/** A book recorded strictly below the folder `dir` and not missing (found there by the last scan), or undefined. */
export function bookUnder(db: Db, dir: string): { id: number; path: string } | undefined {
  // Paths below `dir` sort between `dir/` and `dir0` ('0' follows '/'): one range of the path index.
  return statement(db, "SELECT id, path FROM books WHERE path > ? AND path < ? AND status != 'missing' LIMIT 1").get(`${dir}/`, `${dir}0`) as
    | { id: number; path: string }
    | undefined;
}

export function listBookPlaces(db: Db): BookPlace[] {
  // Rows as arrays: better-sqlite3's named rows cost more than the read itself, and a plan reads every book.
  return statement(db, "SELECT id, path, kind, status FROM books").raw().all() as BookPlace[];
}

/** What a plan reads of a book it may move. The profile JSON (large) only when asked for. */
export type PlanBookRow = Pick<
  BookRow,
  | "id" | "path" | "kind" | "library_root" | "status" | "author" | "title" | "narrator" | "series" | "series_num" | "year"
  | "language" | "confidence" | "fingerprint" | "files" | "sidecars" | "locked"
> & { profile?: string; folder_stamp: string | null };


/** The columns of a plan's row past a book's place (see listPlanBooks), in PlanBookValues' order. */
const PLAN_DETAILS = ["library_root", "author", "title", "narrator", "series", "series_num", "year", "language", "confidence", "fingerprint", "files", "sidecars", "locked", "folder_stamp"];

/** A row of planCandidatePages: the place (id, path, kind, status), 1 (the book is considered), then what the plan reads of it. */
type PlanBookValues = [
  number, string, BookRow["kind"], string, 0 | 1, string, string | null, string | null, string | null, string | null, string | null, string | null,
  string | null, number, string, string, string, number, string | null, string?,
];

/**
 * Both of a plan's reads, in path order: where every book is recorded,
 * missing ones included ([id, path, kind, status], as listBookPlaces), and
 * the books it considers (the given ids, any status, locked ones included,
 * so the plan can say why they are held; or the unlocked books of the given
 * statuses) with what it needs of them. A plan reads every book, and turning
 * SQLite's values into JavaScript ones is most of what a read costs: each
 * book's id, path, kind and status are read once, by the first statement;
 * the second reads only the rest of the considered books (their id to pair
 * them up), and the path index gives both the same order, so SQLite sorts
 * nothing and the pairing is one walk. Both in one read transaction, so they
 * are of one state of the database. (One statement that gave NULLs past the
 * place of a book not considered, `CASE WHEN considered THEN column END` for
 * each column, cost ~30% more: SQLite evaluates the test once per column.)
 */
export function listPlanBooks(
  db: Db,
  filter: { ids?: readonly number[]; statuses: readonly string[]; withProfile: boolean },
): { candidates: PlanBookRow[]; places: BookPlace[] } {
  const details = filter.withProfile ? [...PLAN_DETAILS, profileOf("books")] : PLAN_DETAILS;
  const considered = filter.ids ? "id IN (SELECT value FROM json_each(?))" : `status IN (${filter.statuses.map(() => "?").join(", ") || "NULL"}) AND locked = 0`;
  const select = statement(db, `SELECT id, ${details.join(", ")} FROM books WHERE ${considered} ORDER BY path`).raw();
  // Rows as arrays, made into objects here: better-sqlite3's named rows cost more than the read itself.
  const { places, rows } = readTogether(db, () => ({
    // The kind as 0/1 and the usual status as NULL: no string of either read per book (see Shared.place).
    places: statement(db, "SELECT id, path, kind = 'file', CASE status WHEN 'identified' THEN NULL ELSE status END FROM books ORDER BY path").raw().all() as BookPlace[],
    rows: (filter.ids ? select.all(JSON.stringify(filter.ids)) : select.all(...filter.statuses)) as PlanDetailValues[],
  }));
  const shared = new Shared();
  // By index, and no destructuring below: this runs once per plan, mostly unoptimized, where either makes an
  // iterator result per element (an array's destructuring an iterator too): ~1 MB of garbage per 5,000 books.
  for (let i = 0; i < places.length; i++) shared.readPlace(places[i] as unknown as ReadPlace);
  const candidates: PlanBookRow[] = new Array(rows.length);
  let at = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    // Both in path order, the candidates a subset of the places: each one's place is at or after the last one's.
    while (at < places.length && places[at][0] !== r[0]) at++;
    if (at === places.length) throw new Error(`book #${r[0]} was read as a candidate of the plan but not among the books' places`);
    const place = places[at];
    candidates[i] = {
      id: place[0], path: place[1], kind: place[2], library_root: shared.root(r[1]), status: place[3], author: r[2], title: r[3], narrator: r[4], series: r[5], series_num: r[6],
      year: r[7], language: r[8], confidence: r[9], fingerprint: r[10], files: r[11], sidecars: shared.sidecars(r[12]), locked: r[13],
      // As planRow: always there, one object shape for both kinds of plan.
      profile: filter.withProfile ? r[15] : undefined,
      folder_stamp: r[14],
    };
  }
  return { candidates, places };
}

/**
 * One string for the values most of a plan's rows repeat (their library folder, kind, status, "[]" for no sidecars): each row's
 * copy from SQLite is then dropped at once instead of being kept, and copied by every young-generation collection
 * the plan lives through, as often as there are books.
 */
class Shared {
  #root = "";

  root(value: string): string {
    if (value === this.#root) return this.#root;
    return (this.#root = value);
  }

  sidecars(value: string): string {
    return value === "[]" ? "[]" : value;
  }

  /**
   * A place as listPlanBooks reads it (kind 1 for a file, status null for "identified") made a BookPlace in place,
   * with the one string of each kind and of the usual statuses.
   */
  readPlace(place: ReadPlace): void {
    const book = place as unknown as BookPlace;
    book[2] = place[2] === 1 ? "file" : "folder";
    const status = place[3];
    book[3] = status === null ? "identified" : status === "missing" ? "missing" : status;
  }
}

/** listPlanBooks' read of a book's place: id, path, `kind = 'file'`, and its status but NULL for "identified". */
type ReadPlace = [id: number, path: string, file: number, status: string | null];

/** A row of listPlanBooks' second read: the id, then PLAN_DETAILS (and the profile when asked). */
type PlanDetailValues = [
  number, string, string | null, string | null, string | null, string | null, string | null, string | null, string | null, number, string, string, string, number, string | null, string?,
];

/** `read` in one read transaction (a savepoint inside the caller's): its statements see one state of the database. */
function readTogether<T>(db: Db, read: () => T): T {
  return db.transaction(read)();
}

/**
 * The candidates of listPlanBooks a page at a time (after a first, empty page:
 * the ids in order), for a plan built in slices (the server's); the places are
 * then listBookPlaces'. Call it inside a read transaction (holdReadSnapshot),
 * or the pages may be of different states of the database.
 */
export function* planCandidatePages(
  db: Db,
  filter: { ids?: readonly number[]; statuses: readonly string[]; withProfile: boolean },
  size: number,
): Generator<PlanBookRow[], void, void> {
  // The ids in path order first (small rows, sorted at once), then each page's rows by id: one statement over every
  // row sorts them all, profiles included, before it gives the first (a 20,000-book library: 120-290 ms in one piece).
  const where = filter.ids ? "id IN (SELECT value FROM json_each(?))" : "status IN (SELECT value FROM json_each(?)) AND locked = 0";
  const ids = statement(db, `SELECT id FROM books WHERE ${where} ORDER BY path`).pluck().all(JSON.stringify(filter.ids ?? filter.statuses)) as number[];
  yield [];
  const details = filter.withProfile ? [...PLAN_DETAILS, profileOf("books")] : PLAN_DETAILS;
  // Shaped as listPlanBooks' rows (place, considered, details), so both make their objects alike.
  const page = statement(db, `SELECT id, path, kind, status, 1, ${details.join(", ")} FROM books WHERE id IN (SELECT value FROM json_each(?)) ORDER BY path`).raw();
  const shared = new Shared();
  for (let at = 0; at < ids.length; at += size) {
    const rows = page.all(JSON.stringify(ids.slice(at, at + size))) as PlanBookValues[];
    yield rows.map((r) => planRow(r, filter.withProfile, shared));
  }
}

/** Rows as arrays, made into objects here: better-sqlite3's named rows cost more than the read itself (a plan reads every book). */
function planRow(r: PlanBookValues, withProfile: boolean, shared: Shared): PlanBookRow {
  return {
    id: r[0], path: r[1], kind: r[2], library_root: shared.root(r[5]), status: r[3], author: r[6], title: r[7], narrator: r[8], series: r[9], series_num: r[10],
    year: r[11], language: r[12], confidence: r[13], fingerprint: r[14], files: r[15], sidecars: shared.sidecars(r[16]), locked: r[17],
    // Always there (undefined when not read): one object shape for both kinds of plan, so that the code optimized
    // for one is not thrown away by the other in a process that makes both (a plan shown, then applied).
    profile: withProfile ? r[19] : undefined,
    folder_stamp: r[18],
  };
}

export function bookProfile(db: Db, id: number): string | undefined {
  return (statement(db, `SELECT ${profileOf("books")} AS profile FROM books WHERE id = ?`).get(id) as { profile: string } | undefined)?.profile;
}

export function getBook(db: Db, id: number): BookRow | undefined {
  return db.prepare(`SELECT b.*, ${profileOf("b")} AS profile FROM books b WHERE id = ?`).get(id) as BookRow | undefined;
}

export function setBookLocked(db: Db, id: number, locked: boolean): boolean {
  return db.prepare("UPDATE books SET locked = ?, row_version = row_version + 1 WHERE id = ?").run(locked ? 1 : 0, id).changes > 0;
}

/** What a writer read of a book: its id and the row version it saw. */
export interface ReadVersion {
  id: number;
  row_version: number;
}

/** What a user sees of every book (status, values, confidence, proposed path) as one string per id, to tell what a run changed. */
export function bookStates(db: Db): Map<number, { status: string; state: string }> {
  const rows = db
    .prepare(
      `SELECT id, status, json_array(status, round(confidence), author, title, narrator, series, series_num, year, language, proposed_path) AS state
       FROM books`,
    )
    .all() as { id: number; status: string; state: string }[];
  return new Map(rows.map((r) => [r.id, { status: r.status, state: r.state }]));
}
