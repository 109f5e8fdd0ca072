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

export interface FolderBookFiles {
  path: string;
  kind: "folder" | "file";
  /** JSON of `{path,size}` as stored. */
  files: string;
  /** JSON of paths as stored. */
  sidecars: string;
}

/**
 * The files (and disc folders, ending in `/`) in `book`'s folder that the scan would list as the book's and did not,
 * relative to the folder, sorted; [] for a loose book (its companions: companion-check.ts) or a folder not readable
 * (the fingerprint check says that).
 */
export function unscannedInFolder(book: FolderBookFiles): string[] {
  if (book.kind !== "folder") return [];
  const known = new Set<string>();
  const dirs = new Set<string>([book.path]);
  for (const file of JSON.parse(book.files) as { path: string }[]) {
    known.add(file.path);
    dirs.add(path.dirname(file.path));
  }
  if (book.sidecars.length > 2) for (const file of JSON.parse(book.sidecars) as string[]) known.add(file);
  const added: string[] = [];
  for (const dir of dirs) {
    let entries: fs.Dirent<Buffer>[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true, encoding: "buffer" });
    } catch {
      continue;
    }
    const top = dir === book.path;
    for (const entry of entries) {
      const name = validName(entry.name);
      // A name that is not valid UTF-8 the scan reports ("rename it") and never lists, so a rescan cannot make it
      // seen: it moves with the folder as it always did (test/organize/invalid-names.test.ts), never refusing the book.
      if (name === undefined || isSkippedName(name)) continue;
      const full = path.join(dir, name);
      if (known.has(full) || dirs.has(full)) continue;
      // The scan lists audio files at every level of the book and sidecars at its top only.
      const listed = entry.isFile() || entry.isSymbolicLink() ? audioExtension(name) !== undefined || (top && entry.isFile() && isSidecarName(name)) : false;
      if (listed) added.push(path.relative(book.path, full));
      else if (top && entry.isDirectory() && (isDiscFolderName(name) || isPartOfFolder(name, path.basename(book.path))) && holdsAudio(full)) added.push(`${name}/`);
    }
  }
  return added.sort();
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
