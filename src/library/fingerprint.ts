/**
 * A book's fingerprint: sha1 over each file's path relative to the book, size
 * and mtime, in the book's file order (audio, then sidecars). It changes when
 * a file is added, removed, renamed, resized or touched, and stays put
 * otherwise (also when the whole library moves, since paths are relative). It
 * is a change detector, not a content hash: reading audio bytes would make
 * rescans as slow as copies.
 *
 * The text hashed is also how a scanned book keeps its file list (see
 * ScannedBook), one `rel \0 size \0 mtime_ms \n` line per file. Names may
 * hold "\n" but never "\0", and a number never holds "\n", so the text can be
 * read back exactly. The format is fixed: changing it would change every
 * stored fingerprint and re-identify whole libraries after an upgrade.
 */
import crypto from "node:crypto";

/** One file's line of the fingerprint text. */
export function fingerprintLine(rel: string, size: number, mtimeMs: number): string {
  return `${rel}\0${size}\0${mtimeMs}\n`;
}

// crypto.hash (Node 20.12+) skips the Hash object: a third of the cost for short texts.
const oneShot = (crypto as { hash?: (algorithm: string, data: string) => string }).hash;

export function fingerprintText(text: string): string {
  return oneShot ? oneShot("sha1", text) : crypto.createHash("sha1").update(text).digest("hex");
}

export { parseFingerprintText, type ListedFile } from "../domain/fingerprint-text.js";
