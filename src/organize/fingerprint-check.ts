/** A book's fingerprint recomputed from its files on disk, the way a scan computes it. */
import fs from "node:fs";
import path from "node:path";
import { fingerprintLine, fingerprintText } from "../library/fingerprint.js";

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
  let text = "";
  for (const file of paths) {
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch {
      return null;
    }
    const rel = book.kind === "file" ? path.basename(file) : file.slice(book.path.length + 1);
    text += fingerprintLine(rel, st.size, st.mtimeMs);
  }
  return fingerprintText(text);
}
