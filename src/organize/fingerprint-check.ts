/** A book's fingerprint recomputed from its files on disk, the way a scan computes it. */
import fs from "node:fs";
import path from "node:path";
import { fingerprintLine, fingerprintText } from "../library/fingerprint.js";
import { statFiles, statFilesAsync } from "./native-fs.js";

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
  const lists = books.map(filesOf);
  return fingerprintsFrom(books, lists, statFiles(lists.flat()));
}

/**
 * diskFingerprints with the stats on a libuv worker thread (the addon), so
 * the caller's thread goes on working until it awaits the answer; the same
 * as diskFingerprints without the addon.
 */
export function diskFingerprintsAsync(books: StoredBookFiles[]): Promise<(string | null)[]> {
  const lists = books.map(filesOf);
  const stats = statFilesAsync(lists.flat());
  if (!stats) return Promise.resolve(fingerprintsFrom(books, lists, statFiles(lists.flat())));
  return stats.then((stamps) => fingerprintsFrom(books, lists, stamps));
}

function fingerprintsFrom(books: StoredBookFiles[], lists: string[][], stamps: ReturnType<typeof statFiles>): (string | null)[] {
  let at = 0;
  return books.map((book, b) => {
    let text = "";
    let complete = true;
    for (const file of lists[b]) {
      const stamp = stamps ? stamps[at++] : complete ? statSync(file) : null;
      if (!stamp) complete = false;
      else if (complete) text += fingerprintLine(book.kind === "file" ? path.basename(file) : file.slice(book.path.length + 1), stamp.size, stamp.mtimeMs);
    }
    return complete ? fingerprintText(text) : null;
  });
}

function filesOf(book: StoredBookFiles): string[] {
  return (JSON.parse(book.files) as { path: string }[]).map((f) => f.path).concat(JSON.parse(book.sidecars) as string[]);
}

function statSync(file: string): fs.Stats | null {
  try {
    return fs.statSync(file);
  } catch {
    return null;
  }
}
