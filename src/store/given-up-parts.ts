/**
 * Records left under a library folder given up whose files a scan now finds as part of another book: a library
 * folder that was one book's folder (`scan ~/Audiobooks/Dune`: each loose part a book of its own), then taken out
 * (`library remove`) and its parent scanned, as the scan's `parts_at_top` warning advises. The parts' records stayed
 * beside the new book for good: still on disk, so never `missing`, held by every plan as `library_removed`.
 *
 * Only a record whose every file is a file of one book found by this scan, under a folder read now that holds the
 * given-up folder, is touched. One such record with exactly that book's audio files is that book: it keeps its id,
 * evidence and corrections and takes the book's place, identified again (its path says something else now). Several
 * (the parts) are retired: a record holding nothing of the user's (no correction, lock or move) is removed, its
 * evidence being what the book's own files give again; one holding something of the user's is kept, marked
 * `missing` with a reason naming the book that has its files, so that nothing of the user's is lost and no plan
 * holds it.
 */
import path from "node:path";
import { isInside } from "../domain/path-inside.js";
import type { Db } from "./database.js";
import { statement } from "./statement-cache.js";
import { profileOf } from "./book-profiles.js";

/**
 * How a retired part's reason begins (the text is ours from its first character: no path can forge it). Before
 * aorg25 it went on "the book at PATH"; now "book ID ("TITLE") at PATH": both are found by this beginning.
 */
export const JOINED_REASON_START = "its files are part of ";

export interface JoinedPart {
  book_id: number;
  /** The book holding its files now (its first file's book, found up the folders), or null when none is recorded there. */
  into_book_id: number | null;
  /** That book's title now (null: not identified yet, or no such book). */
  into_title: string | null;
}

interface IntoBook {
  id: number;
  path: string;
  title: string | null;
}

/**
 * A retired part's reason, naming the book that holds its files as every other message names a book: by id, with
 * its title once it has one, and by path. Written by the scan that retires the part (when the book, new, has no
 * title yet) and said again with the title of now wherever the reason is shown (joinedReasonNow).
 */
export function joinedReason(into: IntoBook, libraryRoot: string): string {
  const title = into.title === null || into.title === "" ? "" : ` (${JSON.stringify(into.title)})`;
  return `${JOINED_REASON_START}book ${into.id}${title} at ${into.path} now (the library folder ${libraryRoot} it was recorded under, taken out of library_paths, was that book's folder); its corrections are kept here: put what you want of them on book ${into.id} (\`shelfwise book ${into.id} --set FIELD=VALUE\`)`;
}

/** The book holding a retired part's files now: the first file's nearest recorded book up the folders (not missing). */
function intoBookOf(db: Db, files: string): IntoBook | null {
  const first = (JSON.parse(files) as { path: string }[])[0]?.path;
  const bookAt = statement(db, "SELECT id, path, title FROM books WHERE path = ? AND status <> 'missing'");
  for (let at: string | undefined = first; at !== undefined; at = path.dirname(at) === at ? undefined : path.dirname(at)) {
    const found = bookAt.get(at) as IntoBook | undefined;
    if (found !== undefined) return found;
  }
  return null;
}

/**
 * A book's status_reason as shown now: a retired part's names the book holding its files with that book's title
 * of now (it was new, untitled, when the scan wrote the reason); any other reason as stored.
 */
export function joinedReasonNow(db: Db, row: { status: string; status_reason: string | null; files: string; library_root: string }): string | null {
  if (row.status !== "missing" || row.status_reason === null || !row.status_reason.startsWith(JOINED_REASON_START)) return row.status_reason;
  const into = intoBookOf(db, row.files);
  return into === null ? row.status_reason : joinedReason(into, row.library_root);
}

/**
 * The `missing` records kept for a retired part (what of the user's they hold): not books gone from the disk, their
 * files being another book's. Few (only a given-up library folder's parts make them): the whole list, ids ascending.
 */
export function joinedParts(db: Db): JoinedPart[] {
  const rows = statement(db, "SELECT id, files FROM books WHERE status = 'missing' AND substr(status_reason, 1, ?) = ? ORDER BY id").all(JOINED_REASON_START.length, JOINED_REASON_START) as {
    id: number;
    files: string;
  }[];
  if (rows.length === 0) return [];
  return rows.map((row) => {
    const into = intoBookOf(db, row.files);
    return { book_id: row.id, into_book_id: into?.id ?? null, into_title: into?.title ?? null };
  });
}

interface Known {
  id: number;
  status: string;
  libraryRoot: string;
  seen: boolean;
}

interface Found {
  path: string;
  library_root: string;
  files: { path: string }[];
}

export interface JoinedParts<B extends Found, K extends Known> {
  /** A new book found by this scan that is a given-up folder's record: that record takes its place. */
  kept: Map<B, K>;
  /** Records retired (removed, or kept as `missing` for what of the user's they hold), and those kept above. */
  joined: number;
  /** The records kept as `missing`: their reason is written by nameRetiredParts once the book they joined has its id. */
  retired: { id: number; libraryRoot: string; bookPath: string }[];
}

/** The reasons of the parts retired by joinGivenUpParts, once the books they joined are recorded (a new one has its id then). */
export function nameRetiredParts(db: Db, retired: JoinedParts<Found, Known>["retired"], now: string): void {
  if (retired.length === 0) return;
  const bookAt = statement(db, "SELECT id, path, title FROM books WHERE path = ? AND status <> 'missing'");
  const reason = statement(db, "UPDATE books SET status_reason = ?, updated_at = ? WHERE id = ?");
  for (const part of retired) {
    const into = bookAt.get(part.bookPath) as IntoBook | undefined;
    if (into !== undefined) reason.run(joinedReason(into, part.libraryRoot), now, part.id);
  }
}

export function joinGivenUpParts<B extends Found, K extends Known>(
  db: Db,
  known: Map<string, K>,
  books: readonly B[],
  fresh: ReadonlySet<B>,
  settled: readonly string[],
  holdsUserValues: (profile: string) => boolean,
  now: string,
): JoinedParts<B, K> {
  const out: JoinedParts<B, K> = { kept: new Map(), joined: 0, retired: [] };
  // Records under a folder this scan did not read as a library folder, itself inside one it did: a rescan of an
  // ordinary library finds none, and costs one pass over what is known.
  const candidates: [string, K][] = [];
  for (const entry of known) {
    const row = entry[1];
    if (row.seen || row.status === "missing" || settled.includes(row.libraryRoot)) continue;
    if (settled.some((root) => isInside(row.libraryRoot, root))) candidates.push(entry);
  }
  if (candidates.length === 0) return out;
  const owner = new Map<string, B>();
  for (const book of books) for (const file of book.files) owner.set(file.path, book);
  const filesOf = statement(db, "SELECT files FROM books WHERE id = ?").pluck();
  const groups = new Map<B, { row: K; files: string[] }[]>();
  for (const [, row] of candidates) {
    const files = (JSON.parse(filesOf.get(row.id) as string) as { path: string }[]).map((f) => f.path);
    const book = files.length > 0 ? owner.get(files[0]!) : undefined;
    if (!book || book.library_root === row.libraryRoot || !files.every((f) => owner.get(f) === book)) continue;
    const group = groups.get(book) ?? [];
    group.push({ row, files });
    groups.set(book, group);
  }
  if (groups.size === 0) return out;
  const userOwned = statement(db, `SELECT ${profileOf("books")} AS profile, locked, EXISTS (SELECT 1 FROM moves WHERE book_id = books.id) AS moved FROM books WHERE id = ?`);
  const remove = statement(db, "DELETE FROM books WHERE id = ?");
  const retire = statement(db, "UPDATE books SET status = 'missing', status_reason = ?, updated_at = ?, row_version = row_version + 1 WHERE id = ?");
  for (const [book, group] of groups) {
    const only = group.length === 1 ? group[0]! : null;
    if (only && fresh.has(book) && sameFiles(only.files, book.files)) {
      out.kept.set(book, only.row);
      out.joined++;
      continue;
    }
    for (const { row } of group) {
      row.seen = true;
      out.joined++;
      const own = userOwned.get(row.id) as { profile: string; locked: number; moved: number };
      if (own.locked || own.moved || holdsUserValues(own.profile)) {
        // Said with the book's id by nameRetiredParts: a new book has none until the scan records it.
        retire.run(`${JOINED_REASON_START}the book at ${book.path} now`, now, row.id);
        out.retired.push({ id: row.id, libraryRoot: row.libraryRoot, bookPath: book.path });
      } else remove.run(row.id);
    }
  }
  return out;
}

function sameFiles(files: readonly string[], found: readonly { path: string }[]): boolean {
  return files.length === found.length && found.every((f) => files.includes(f.path));
}
