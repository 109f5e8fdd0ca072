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

/** How a retired part's reason begins (the text is ours from its first character: no path can forge it). */
export const JOINED_REASON_START = "its files are part of the book at ";

export interface JoinedPart {
  book_id: number;
  /** The book holding its files now (its first file's book, found up the folders), or null when none is recorded there. */
  into_book_id: number | null;
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
  const bookAt = statement(db, "SELECT id FROM books WHERE path = ? AND status <> 'missing'").pluck();
  return rows.map((row) => {
    const first = (JSON.parse(row.files) as { path: string }[])[0]?.path;
    let into: number | null = null;
    for (let at: string | undefined = first; at !== undefined && into === null; at = path.dirname(at) === at ? undefined : path.dirname(at)) into = (bookAt.get(at) as number | undefined) ?? null;
    return { book_id: row.id, into_book_id: into };
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
  const out: JoinedParts<B, K> = { kept: new Map(), joined: 0 };
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
        retire.run(
          `${JOINED_REASON_START}${book.path} now (the library folder ${row.libraryRoot} it was recorded under, taken out of library_paths, was that book's folder); its corrections are kept here: put what you want of them on that book (\`shelfwise book ID --set FIELD=VALUE\`)`,
          now,
          row.id,
        );
      } else remove.run(row.id);
    }
  }
  return out;
}

function sameFiles(files: readonly string[], found: readonly { path: string }[]): boolean {
  return files.length === found.length && found.every((f) => files.includes(f.path));
}
