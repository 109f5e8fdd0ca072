/** A book's fingerprint recomputed from its files on disk, the way a scan computes it. */
import fs from "node:fs";
import path from "node:path";
import { fingerprintLine, fingerprintText } from "../library/fingerprint.js";
import { listedFolders, unscannedFromListing } from "./folder-check.js";
import { statFiles, statFilesAsync, statListAsync, type FileStamps } from "./native-fs.js";

export interface StoredBookFiles {
  path: string;
  kind: "folder" | "file";
  /** JSON as stored in the books table. */
  files: string;
  sidecars: string;
  /** A folder book's folder stamp from the scan (library/folder-stamp.ts): absent or null, its folder is listed. */
  folder_stamp?: string | null;
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

/** What the file check found of each book: diskFingerprints, and unscannedInFolder where it was listed beside the stats. */
export interface FilesOnDisk {
  fingerprints: (string | null)[];
  /** unscannedInFolder of each folder book the addon listed; undefined: not listed here (a loose book, no addon), the caller lists it. */
  added: (readonly string[] | undefined)[];
}

/**
 * diskFingerprintsAsync, and with the addon each folder book's folders listed in the same job on the same worker
 * thread (statListAsync), so that apply's look for files the last scan did not see (folder-check.ts) costs the
 * caller's thread only the entries that are not the book's known files (usually none) instead of a readdir each.
 */
export function filesOnDiskAsync(books: StoredBookFiles[]): Promise<FilesOnDisk> {
  const files = filesOf(books);
  // At least one folder per folder book, usually just that: sized for one per book and cut to what they hold after, not
  // grown from empty by a dozen reallocations per 5,000 books.
  const dirs: string[] = new Array<string>(books.length);
  const dirBook: number[] = new Array<number>(books.length);
  /** Per folder of `dirs`, the book's stamp when that folder is the only one it lists (its files all in it). */
  const stamps: (string | null)[] = new Array<string | null>(books.length);
  let listing = 0;
  let stamped = false;
  /** Each book's first folder in `dirs`; -1 when it is not listed here. */
  const firstDir = new Int32Array(books.length).fill(-1);
  for (let b = 0; b < books.length; b++) {
    const book = books[b];
    if (book.kind !== "folder" || !plainFolder(book.path)) continue;
    const from = b === 0 ? 0 : files.ends[b - 1];
    if (directlyIn(book.path, files.paths, from, files.fileEnds[b])) {
      // The usual book, its files all right in its folder: listedFolders would say [book.path], made here without an array per book.
      firstDir[b] = listing;
      dirs[listing] = book.path;
      dirBook[listing] = b;
      const stamp = book.folder_stamp ?? null;
      stamps[listing++] = stamp;
      if (stamp !== null) stamped = true;
      continue;
    }
    const listed = listedFolders(book.path, files.paths, from, files.fileEnds[b]);
    // The addon joins folder and name with one "/" and leaves out exact matches; path.join would read another
    // spelling of a folder ("a/./b", "a/b/") otherwise: such a book is listed by the caller.
    let plain = true;
    for (let i = 1; i < listed.length && plain; i++) plain = plainFolder(listed[i]);
    if (!plain) continue;
    firstDir[b] = listing;
    // A book whose files are in folders inside its own: the scan recorded no stamp of those (scan.ts), so all are listed.
    const stamp = listed.length === 1 ? (book.folder_stamp ?? null) : null;
    for (let i = 0; i < listed.length; i++) {
      dirs[listing] = listed[i];
      dirBook[listing] = b;
      stamps[listing++] = stamp;
    }
    if (stamp !== null) stamped = true;
  }
  dirs.length = listing;
  dirBook.length = listing;
  stamps.length = listing;
  const asked = statListAsync(files.paths, files.ends, dirs, Uint32Array.from(dirBook), stamped ? stamps : undefined);
  if (!asked) return diskFingerprintsAsync(books).then((fingerprints) => ({ fingerprints, added: new Array<undefined>(books.length) }));
  return asked.then(({ stamps, unknown }) => {
    const fingerprints = fingerprintsFrom(books, files, stamps);
    const added: (readonly string[] | undefined)[] = new Array<readonly string[] | undefined>(books.length);
    for (let b = 0; b < books.length; b++) if (firstDir[b] >= 0) added[b] = NOTHING_ADDED;
    // Entries come folder by folder, so a book's are together.
    for (let i = 0; i < unknown.length; ) {
      const b = dirBook[unknown[i].dir];
      let end = i + 1;
      while (end < unknown.length && dirBook[unknown[end].dir] === b) end++;
      const first = firstDir[b];
      let last = first;
      while (last < dirs.length && dirBook[last] === b) last++;
      const entries = unknown.slice(i, end).map((e) => ({ ...e, dir: e.dir - first }));
      added[b] = unscannedFromListing(books[b], dirs.slice(first, last), entries) ?? undefined;
      i = end;
    }
    return { fingerprints, added };
  });
}

const NOTHING_ADDED: readonly string[] = Object.freeze([]);

/** Whether every file of paths[from .. to) lies right in `folder` (listedFolders' own test of the usual file). */
function directlyIn(folder: string, paths: readonly string[], from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const file = paths[i];
    const slash = file.lastIndexOf("/");
    if (!(slash === folder.length && slash > 0 && slash < file.length - 1 && file.startsWith(folder))) return false;
  }
  return true;
}

/** A folder path that path.join(folder, name) spells as folder + "/" + name: absolute, normalized, no trailing "/". */
function plainFolder(p: string): boolean {
  if (p.length < 2 || p.charCodeAt(0) !== 47 || p.charCodeAt(p.length - 1) === 47 || p.includes("//")) return false;
  // Only a "." or ".." segment makes such a path other than normal, and it starts with "/.": path.normalize (a few
  // µs, once per book: ~10-20 ms of 5,000 books) is asked only then (a name starting with a dot, or such a segment).
  return !p.includes("/.") || path.normalize(p) === p;
}

/** Every listed file of the books in one list (audio, then sidecars, book by book); book b's are paths[ends[b - 1] .. ends[b]). */
interface BookFiles {
  paths: string[];
  ends: Uint32Array;
  /** Where book b's sidecars begin (its audio files are paths[ends[b - 1] .. fileEnds[b])). */
  fileEnds: Uint32Array;
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
  // One per book, sized once (the addon takes `ends` as it is).
  const ends = new Uint32Array(books.length);
  const fileEnds = new Uint32Array(books.length);
  for (let i = 0; i < books.length; i++) {
    const book = books[i];
    pathsOf(book.files, paths);
    fileEnds[i] = paths.length;
    // "[]": no sidecars, the usual case for a folder book.
    if (book.sidecars.length > 2) for (const p of JSON.parse(book.sidecars) as string[]) paths.push(p);
    ends[i] = paths.length;
  }
  return { paths, ends, fileEnds };
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

/**
 * What changed of a book's files as the last scan recorded them, in words: " (01.mp3 is gone, 02.mp3 has another
 * size)", the first five, relative to the book's folder; "" when no file is gone or resized (an edit that kept the
 * size, a new mtime). Asked only for a book refused for changed files, so the user knows which to look at.
 */
export function changedFilesWords(book: StoredBookFiles): string {
  const base = book.kind === "folder" ? book.path : path.dirname(book.path);
  const shown = (file: string) => (file.startsWith(base + path.sep) ? file.slice(base.length + 1) : file);
  const found: string[] = [];
  const files: { path: string; size?: number }[] = [...(JSON.parse(book.files) as { path: string; size?: number }[]), ...(JSON.parse(book.sidecars) as string[]).map((p) => ({ path: p }))];
  for (const file of files) {
    const st = statSync(file.path);
    if (st === null) found.push(`${shown(file.path)} is gone`);
    else if (file.size !== undefined && st.size !== file.size) found.push(`${shown(file.path)} has another size`);
  }
  if (found.length === 0) return "";
  return ` (${found.slice(0, 5).join(", ")}${found.length > 5 ? ` and ${found.length - 5} more` : ""})`;
}
