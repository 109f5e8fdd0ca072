/**
 * A book's fingerprint: sha1 over each file's path relative to the book, size
 * and mtime, in the book's file order. It changes when a file is added,
 * removed, renamed, resized or touched, and stays put otherwise (also when the
 * whole library moves, since paths are relative). It is a change detector, not
 * a content hash: reading audio bytes would make rescans as slow as copies.
 */
import { createHash } from "node:crypto";
import path from "node:path";

export interface FingerprintFile {
  path: string;
  size: number;
  mtime_ms: number;
}

/**
 * @param bookPath the book's path; files of a folder book live under it, the
 *   file of a single-file book is the book path itself.
 */
export function fingerprintFiles(bookPath: string, files: readonly FingerprintFile[]): string {
  // One string and one update: cheaper than an update per file for small books.
  let text = "";
  for (const file of files) {
    const rel = file.path === bookPath ? path.basename(bookPath) : file.path.slice(bookPath.length + 1);
    text += `${rel}\0${file.size}\0${file.mtime_ms}\n`;
  }
  return createHash("sha1").update(text).digest("hex");
}
