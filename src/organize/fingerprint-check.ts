/** A book's fingerprint recomputed from its files on disk, the way a scan computes it. */
import fs from "node:fs";
import path from "node:path";
import { fingerprintLine, fingerprintText } from "../library/fingerprint.js";
import { statFiles, statFilesAsync, type FileStamps } from "./native-fs.js";

export interface StoredBookFiles {
  path: string;
  kind: "folder" | "file";
  /** JSON as stored in the books table. */
  files: string;
  sidecars: string;
}

/** Null when a listed file is gone or unreadable. */
export function diskFingerprint(book: StoredBookFiles): string | null {
  return diskFingerprints([book])[0];
}

/**
 * diskFingerprint of each book; with the addon, one call stats every file of
 * every book (split between two threads when there are many), which is most
 * of an apply's check.
 */
export function diskFingerprints(books: StoredBookFiles[]): (string | null)[] {
  const files = filesOf(books);
  return fingerprintsFrom(books, files, statFiles(files.paths));
}

/**
 * diskFingerprints with the stats on a libuv worker thread (the addon), so
 * the caller's thread goes on working until it awaits the answer; the same
 * as diskFingerprints without the addon.
 */
export function diskFingerprintsAsync(books: StoredBookFiles[]): Promise<(string | null)[]> {
  const files = filesOf(books);
  const stats = statFilesAsync(files.paths);
  if (!stats) return Promise.resolve(fingerprintsFrom(books, files, statFiles(files.paths)));
  return stats.then((stamps) => fingerprintsFrom(books, files, stamps));
}

/** Every listed file of the books in one list (audio, then sidecars, book by book); book b's are paths[ends[b - 1] .. ends[b]). */
interface BookFiles {
  paths: string[];
  ends: number[];
}

function fingerprintsFrom(books: StoredBookFiles[], { paths, ends }: BookFiles, stamps: FileStamps | null): (string | null)[] {
  let at = 0;
  return books.map((book, b) => {
    let text = "";
    const skip = book.kind === "file" ? -1 : book.path.length + 1;
    for (; at < ends[b]; at++) {
      const file = paths[at];
      let size: number;
      let mtimeMs: number;
      if (stamps) {
        if (!stamps.ok(at)) break;
        size = stamps.size(at);
        mtimeMs = stamps.mtimeMs(at);
      } else {
        const st = statSync(file);
        if (!st) break;
        size = st.size;
        mtimeMs = st.mtimeMs;
      }
      text += fingerprintLine(skip < 0 ? path.basename(file) : file.slice(skip), size, mtimeMs);
    }
    if (at < ends[b]) {
      // A file is gone or unreadable: no fingerprint, and the book's other files need no look.
      at = ends[b];
      return null;
    }
    return fingerprintText(text);
  });
}

function filesOf(books: StoredBookFiles[]): BookFiles {
  const paths: string[] = [];
  const ends: number[] = [];
  for (let i = 0; i < books.length; i++) {
    const book = books[i];
    pathsOf(book.files, paths);
    // "[]": no sidecars, the usual case for a folder book.
    if (book.sidecars.length > 2) for (const p of JSON.parse(book.sidecars) as string[]) paths.push(p);
    ends.push(paths.length);
  }
  return { paths, ends };
}

const PATH_KEY = '"path":"';

/**
 * Appends the `path` of each entry of a stored file list (JSON of
 * `{path,size}`, as the store writes it) to `out`. An apply reads every
 * moved book's list: most hold no backslash, and then no string in them
 * holds an escape or a quote, so each path is the text between its key and
 * the next quote, read without JSON.parse's object per file. Others are
 * parsed.
 */
function pathsOf(files: string, out: string[]): void {
  if (files.includes("\\") || !files.startsWith(`[{${PATH_KEY}`)) {
    for (const f of JSON.parse(files) as { path: string }[]) out.push(f.path);
    return;
  }
  for (let at = files.indexOf(PATH_KEY); at !== -1; ) {
    const start = at + PATH_KEY.length;
    const end = files.indexOf('"', start);
    out.push(files.slice(start, end));
    at = files.indexOf(PATH_KEY, end + 1);
  }
}

/**
 * When a book has no fingerprint on disk because this user may not reach one
 * of its files (a folder on the way it may not enter or read: EACCES, EPERM),
 * not because a file is gone: the first such file. Null otherwise. Asked
 * only for a book whose fingerprint failed, to say what is wrong: its files
 * did not change, and a rescan would not help.
 */
export function unreachableFile(book: StoredBookFiles): string | null {
  const paths = [...(JSON.parse(book.files) as { path: string }[]).map((f) => f.path), ...(JSON.parse(book.sidecars) as string[])];
  for (const file of paths) {
    try {
      fs.statSync(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return code === "EACCES" || code === "EPERM" ? file : null;
    }
  }
  return null;
}

/** What to say of a book whose files this user may not reach, or null when a file is simply not there as scanned. */
export function unreachableWords(book: StoredBookFiles): string | null {
  const file = unreachableFile(book);
  if (file === null) return null;
  return `permission denied: this user may not read ${file} (its folder, or one on the way to it, is closed to it); nothing was moved; give this user read access to the book's folder (or run shelfwise as its owner) and run the command again`;
}

function statSync(file: string): fs.Stats | null {
  try {
    return fs.statSync(file);
  } catch {
    return null;
  }
}
