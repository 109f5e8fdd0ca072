/**
 * Reading a book's fingerprint text (library/fingerprint.ts writes it: one
 * `rel \0 size \0 mtime_ms \n` line per file), and comparing two listings of
 * the same files whose mtimes one copy rounded. Pure: the store and the
 * library both read it.
 */

export interface ListedFile {
  /** Path relative to the book folder (the file name for a single-file book). */
  rel: string;
  size: number;
  mtime_ms: number;
}

/** Reads a fingerprint text back into its files, in order. */
export function parseFingerprintText(text: string): ListedFile[] {
  const files: ListedFile[] = [];
  let at = 0;
  while (at < text.length) {
    const nameEnd = text.indexOf("\0", at);
    const sizeEnd = text.indexOf("\0", nameEnd + 1);
    const lineEnd = text.indexOf("\n", sizeEnd + 1);
    if (nameEnd < 0 || sizeEnd < 0 || lineEnd < 0) throw new Error("malformed fingerprint text");
    files.push({
      rel: text.slice(at, nameEnd),
      size: Number(text.slice(nameEnd + 1, sizeEnd)),
      mtime_ms: Number(text.slice(sizeEnd + 1, lineEnd)),
    });
    at = lineEnd + 1;
  }
  return files;
}

/**
 * The text with its mtimes left out (names and sizes only): the same for a
 * book and its copy whatever the copy did to the times. A name never holds
 * "\0", so `\0 digits \0` is always a size and the mtime that follows it.
 */
export function shapeText(text: string): string {
  return text.replace(/\0(\d+)\0[^\n]*\n/g, "\0$1\n");
}

/**
 * The steps copies round mtimes to: exFAT's 10 ms, whole seconds (a copy
 * that drops the sub-second part: FAT's creation time, many tools, SMB
 * shares), FAT's 2 s (exFAT's too, in practice, behind many drivers).
 */
const STEPS_MS = [10, 1000, 2000];

/**
 * Whether `found` is `stored` as a copy that rounds mtimes left it: the same
 * files (names and sizes, in order), every mtime found on one step's grid
 * and within that step of its stored one, all of them rounded the same way
 * (down, as Linux's vfat and a dropped fraction do, or up, as Windows does
 * for FAT), for one step for the whole book. An exact match is not asked
 * here (the fingerprint finds it).
 */
export function roundedCopyOf(stored: readonly ListedFile[], found: readonly ListedFile[]): boolean {
  if (stored.length !== found.length || stored.length === 0) return false;
  for (let i = 0; i < stored.length; i++) if (stored[i]!.rel !== found[i]!.rel || stored[i]!.size !== found[i]!.size) return false;
  return STEPS_MS.some((step) => roundedBy(stored, found, step, -1) || roundedBy(stored, found, step, 1));
}

function roundedBy(stored: readonly ListedFile[], found: readonly ListedFile[], step: number, direction: -1 | 1): boolean {
  for (let i = 0; i < stored.length; i++) {
    const was = stored[i]!.mtime_ms;
    const now = found[i]!.mtime_ms;
    // Whole milliseconds on the grid: a float's tail (a stored 1700000000123.456) is never on it.
    if (!Number.isInteger(now) || now % step !== 0) return false;
    const moved = (now - was) * direction;
    if (moved < 0 || moved >= step) return false;
  }
  return true;
}
