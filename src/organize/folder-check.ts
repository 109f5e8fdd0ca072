/**
 * Files put into a folder book since the last scan. The fingerprint check stats only the files the scan listed, so
 * a part, a disc folder or a metadata.opf added since went unseen: apply moved it with the folder as a file of a book
 * identified without it, and undo carried it back to the old place. Both now look (one listing of the book's folder
 * and of the disc folders holding its files) and refuse such a book, naming the files: apply until a rescan has
 * read them, undo until they are moved out (they did not move with the book).
 */
import fs from "node:fs";
import path from "node:path";
import { audioExtension, isDiscFolderName, isPartOfFolder, isSidecarName, isSkippedName } from "../library/book-detect.js";
import { sentence } from "../domain/command-advice.js";
import { stampHolds } from "../library/folder-stamp.js";

export interface FolderBookFiles {
  path: string;
  kind: "folder" | "file";
  /** JSON of `{path,size}` as stored. */
  files: string;
  /** JSON of paths as stored. */
  sidecars: string;
  /** The folder's stamp from the scan (library/folder-stamp.ts): while it holds, the folder is not listed. */
  folder_stamp?: string | null;
}

/**
 * The files (and disc folders, ending in `/`) in `book`'s folder that the scan would list as the book's and did not,
 * relative to the folder, sorted; [] for a loose book (its companions: companion-check.ts) or a folder not readable
 * (the fingerprint check says that).
 */
export function unscannedInFolder(book: FolderBookFiles): string[] {
  if (book.kind !== "folder") return [];
  const files = (JSON.parse(book.files) as { path: string }[]).map((f) => f.path);
  const dirs = listedFolders(book.path, files);
  // The scan records a stamp only for a folder holding nothing but the book's files (no folder inside).
  if (dirs.length === 1 && stampHolds(book.path, book.folder_stamp)) return [];
  const known = knownPaths(book, files, dirs);
  const added: string[] = [];
  for (const dir of dirs) {
    let entries: fs.Dirent<Buffer>[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true, encoding: "buffer" });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const kind = entry.isFile() ? "file" : entry.isSymbolicLink() ? "link" : entry.isDirectory() ? "dir" : "other";
      judgeEntry(book.path, known, dir, entry.name, kind, added);
    }
  }
  return sortedOnce(added);
}

/**
 * unscannedInFolder from the addon's listing of `dirs` (listedFolders of the book, in that order), which left out
 * the entries that are exactly a known path of the book (native-fs.ts statListAsync): the same answer, judged by the
 * same rules, for the entries left. Null when a folder was not listed there: the caller lists the book itself.
 */
export function unscannedFromListing(book: FolderBookFiles, dirs: readonly string[], entries: readonly { dir: number; name: Buffer; kind: EntryKind | "unlisted" }[]): string[] | null {
  if (entries.length === 0) return [];
  const files = (JSON.parse(book.files) as { path: string }[]).map((f) => f.path);
  const known = knownPaths(book, files, dirs);
  const added: string[] = [];
  for (const entry of entries) {
    if (entry.kind === "unlisted") return null;
    judgeEntry(book.path, known, dirs[entry.dir], entry.name, entry.kind, added);
  }
  return sortedOnce(added);
}

/**
 * The folders unscannedInFolder lists for a folder book: its own, then each other folder holding one of its files
 * (`files[from .. to)`), once each.
 */
export function listedFolders(bookPath: string, files: readonly string[], from = 0, to = files.length): string[] {
  const dirs = [bookPath];
  for (let i = from; i < to; i++) {
    const file = files[i];
    const slash = file.lastIndexOf("/");
    // The usual file, right in the book's folder: path.dirname would give the book's path (one call less per file).
    if (slash === bookPath.length && slash > 0 && slash < file.length - 1 && file.startsWith(bookPath)) continue;
    const dir = path.dirname(file);
    if (!dirs.includes(dir)) dirs.push(dir);
  }
  return dirs;
}

export type EntryKind = "file" | "dir" | "link" | "other";

/** The book's files, its sidecars and its folders: what a listing of them leaves out. */
function knownPaths(book: FolderBookFiles, files: readonly string[], dirs: readonly string[]): Set<string> {
  const known = new Set<string>(files);
  if (book.sidecars.length > 2) for (const file of JSON.parse(book.sidecars) as string[]) known.add(file);
  for (const dir of dirs) known.add(dir);
  return known;
}

/** The one rule of which entry of a listed folder is a file the scan would have listed as the book's: pushed to `added` when it is. */
function judgeEntry(bookPath: string, known: Set<string>, dir: string, bytes: Buffer, kind: EntryKind, added: string[]): void {
  const name = validName(bytes);
  // A name that is not valid UTF-8 the scan reports ("rename it") and never lists, so a rescan cannot make it
  // seen: it moves with the folder as it always did (test/organize/invalid-names.test.ts), never refusing the book.
  if (name === undefined || isSkippedName(name)) return;
  const full = path.join(dir, name);
  if (known.has(full)) return;
  const top = dir === bookPath;
  // The scan lists audio files at every level of the book and sidecars at its top only.
  const listed = kind === "file" || kind === "link" ? audioExtension(name) !== undefined || (top && kind === "file" && isSidecarName(name)) : false;
  if (listed) added.push(path.relative(bookPath, full));
  else if (top && kind === "dir" && (isDiscFolderName(name) || isPartOfFolder(name, path.basename(bookPath))) && holdsAudio(full)) added.push(`${name}/`);
}

/** A book path spelled otherwise than its files' folder ("a/./b", "a/b/") lists one folder under two spellings: each name once. */
function sortedOnce(added: string[]): string[] {
  return added.length < 2 ? added : [...new Set(added)].sort();
}

function validName(bytes: Buffer): string | undefined {
  const name = bytes.toString("utf8");
  return Buffer.from(name, "utf8").equals(bytes) ? name : undefined;
}

function holdsAudio(dir: string): boolean {
  try {
    return fs.readdirSync(dir).some((name) => !isSkippedName(name) && audioExtension(name) !== undefined);
  } catch {
    return false;
  }
}

function listed(names: readonly string[]): string {
  return names.slice(0, 5).join(", ") + (names.length > 5 ? ` and ${names.length - 5} more` : "");
}

const APPLY_ADDED = sentence`the book's folder holds ${0} the last scan did not see (${1}): they may change what the book is; run \`shelfwise scan\` and \`shelfwise process\` first, then apply moves the book with ${2}`;

/** Why apply leaves a folder book with files added since the last scan where it is. */
export function addedSinceScanError(names: readonly string[]): string {
  return APPLY_ADDED(names.length === 1 ? "a file" : `${names.length} files`, listed(names), names.length === 1 ? "it" : "them");
}

const UNDO_ADDED = sentence`the book's folder holds ${0} added since it was moved (${1}): undo would carry ${2} to the old place with the book; move ${2} out first (or move the book back by hand, with ${2})`;

/** Why undo leaves a folder book with files added since its move where it is. */
export function addedSinceMoveError(names: readonly string[]): string {
  const them = names.length === 1 ? "it" : "them";
  return UNDO_ADDED(names.length === 1 ? "a file" : `${names.length} files`, listed(names), them);
}
