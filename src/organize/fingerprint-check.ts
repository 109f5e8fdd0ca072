/** A book's fingerprint recomputed from its files on disk, the way a scan computes it. */
import fs from "node:fs";
import path from "node:path";
import { fingerprintLine, fingerprintText } from "../library/fingerprint.js";
import { statFiles } from "./native-fs.js";

export interface StoredBookFiles {
  path: string;
  kind: "folder" | "file";
  /** JSON as stored in the books table. */
  files: string;
  sidecars: string;
}

/** Null when a listed file is gone or unreadable. */
export function diskFingerprint(book: StoredBookFiles): string | null {
  const paths = (JSON.parse(book.files) as { path: string }[]).map((f) => f.path).concat(JSON.parse(book.sidecars) as string[]);
  // One call for the book's files when the addon is built (no Stats object per file); node:fs otherwise.
  const stamps = statFiles(paths);
  let text = "";
  for (let i = 0; i < paths.length; i++) {
    const file = paths[i];
    let stamp: { size: number; mtimeMs: number } | null | undefined = stamps?.[i];
    if (!stamps) {
      try {
        stamp = fs.statSync(file);
      } catch {
        stamp = null;
      }
    }
    if (!stamp) return null;
    const rel = book.kind === "file" ? path.basename(file) : file.slice(book.path.length + 1);
    text += fingerprintLine(rel, stamp.size, stamp.mtimeMs);
  }
  return fingerprintText(text);
}
