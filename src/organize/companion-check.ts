/**
 * Companions that appeared since the last scan. A loose book moves with the
 * companions the scan listed (library/scan.ts: files beside it with its stem
 * and a companion extension), and apply never touches a file it did not
 * scan; so a `Dune.nfo` put beside `Dune.m4b` after the scan would be left
 * behind in the inbox, cut off from its book. Apply refuses such a book
 * instead (run `shelfwise scan`, then apply again: the new file moves too).
 * A companion that went away is caught by the fingerprint check already.
 */
import fs from "node:fs";
import path from "node:path";
import { audioExtension, companionStem, hasCompanionExtension, isSkippedName } from "../library/book-detect.js";
import { companionNames } from "./companion-names.js";
import { sentence } from "../domain/command-advice.js";

const UNSCANNED = sentence`${0} ${1} put beside the book since the last scan and would be left behind; run \`shelfwise scan\` and \`shelfwise process\` first, then ${2} with the book`;

export interface LooseBook {
  id: number;
  path: string;
  kind: "folder" | "file";
  sidecars: string;
}

/**
 * Book id → the names beside each single-file book that the scan would now
 * list as its companions but did not (folder books are never in the map).
 * One listing per folder that holds such books.
 */
export function unscannedCompanions(
  books: readonly LooseBook[],
  /** How a folder is listed: the plan's own listing of the run when given (one listing per folder per run), else readdir. */
  list: (dir: string) => readonly fs.Dirent[] | null = listFolder,
): Map<number, string[]> {
  const out = new Map<number, string[]>();
  const byDir = new Map<string, LooseBook[]>();
  // By index: once per apply over every proposed move, mostly unoptimized, where for-of makes a result object per book.
  for (let i = 0; i < books.length; i++) {
    const book = books[i];
    if (book.kind !== "file") continue;
    const dir = path.dirname(book.path);
    const list = byDir.get(dir);
    if (list) list.push(book);
    else byDir.set(dir, [book]);
  }
  for (const [dir, inDir] of byDir) {
    const entries = list(dir);
    // The fingerprint check says what is wrong with a folder that cannot be read.
    if (entries === null) continue;
    /** Stem → the names with it (audio files: whether more than one has it; companion candidates). */
    const audio = new Map<string, number>();
    const candidates = new Map<string, string[]>();
    for (const entry of entries) {
      const name = entry.name;
      if (isSkippedName(name)) continue;
      if (audioExtension(name) !== undefined) {
        // A link to an audio file is an audio file to the scan as well.
        if (entry.isFile() || entry.isSymbolicLink()) audio.set(companionStem(name), (audio.get(companionStem(name)) ?? 0) + 1);
      } else if (entry.isFile() && hasCompanionExtension(name)) {
        const stem = companionStem(name);
        const list = candidates.get(stem);
        if (list) list.push(name);
        else candidates.set(stem, [name]);
      }
    }
    for (const book of inDir) {
      const stem = companionStem(path.basename(book.path));
      // A stem two audio files share gives neither any companion: nothing would move with this book.
      if ((audio.get(stem) ?? 0) > 1) continue;
      const known = new Set(companionNames(book));
      const added = (candidates.get(stem) ?? []).filter((name) => !known.has(name));
      if (added.length > 0) out.set(book.id, added.sort());
    }
  }
  return out;
}

function listFolder(dir: string): fs.Dirent[] | null {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return null;
  }
}

/** Why apply leaves such a book where it is. */
export function unscannedCompanionsError(names: readonly string[]): string {
  const list = names.join(", ");
  return UNSCANNED(list, names.length === 1 ? "was" : "were", names.length === 1 ? "it moves" : "they move");
}
