/**
 * Aligned columns for people. Kept apart from output.ts and loaded only when a
 * command prints a table (never for --json). Terminal cells are counted by
 * string-width, loaded only when some text is more than printable ASCII
 * (whose width is its length): when it loads it sets up an Intl.Segmenter
 * and an emoji pattern, ~35 ms of a command's CPU, and most tables are
 * names and numbers.
 */
import { terminalSafe, type Cell } from "./output.js";

const PLAIN = /^[\x20-\x7e]*$/;
let unicodeWidth: ((text: string) => number) | undefined;

/** Loads string-width if one of `texts` needs it (the widths below are synchronous). */
async function widthsFor(texts: Iterable<string>): Promise<void> {
  if (unicodeWidth) return;
  for (const text of texts) {
    if (PLAIN.test(text)) continue;
    unicodeWidth = (await import("string-width")).default;
    return;
  }
}

function cellWidth(text: string): number {
  if (PLAIN.test(text)) return text.length;
  if (!unicodeWidth) throw new Error("table.ts: widthsFor() was not awaited for this text");
  return unicodeWidth(text);
}

/** The widest a column gets before its cells are cut with "…". */
const MAX_COLUMN = 48;

export async function printTable(headers: string[], rows: Cell[][], options: { maxColumn?: number } = {}): Promise<void> {
  const limit = options.maxColumn ?? MAX_COLUMN;
  const cells = rows.map((row) => row.map((cell) => terminalSafe(cell)));
  await widthsFor([...headers, ...cells.flat()]);
  const widths = headers.map((h, i) => Math.min(limit, Math.max(cellWidth(h), ...cells.map((row) => cellWidth(row[i]!)))));
  // The last column ends the line, so nothing needs it cut: a reason or an error is read in full.
  const last = headers.length - 1;
  const line = (row: string[]) =>
    row
      .map((cell, i) => (i === last && cellWidth(cell) > widths[i]! ? cell : fit(cell, widths[i]!)))
      .join("  ")
      .trimEnd();
  process.stdout.write(line(headers) + "\n" + line(widths.map((w) => "-".repeat(w))) + "\n");
  for (const row of cells) process.stdout.write(line(row) + "\n");
}


/** `text` padded (or cut with "…") to exactly `width` terminal cells. */
function fit(text: string, width: number): string {
  const w = cellWidth(text);
  if (w <= width) return text + " ".repeat(width - w);
  if (PLAIN.test(text)) return text.slice(0, Math.max(0, width - 1)) + "…";
  let out = "";
  let used = 0;
  for (const { segment } of new Intl.Segmenter().segment(text)) {
    const sw = cellWidth(segment);
    if (used + sw > width - 1) break;
    out += segment;
    used += sw;
  }
  return out + "…" + " ".repeat(Math.max(0, width - 1 - used));
}

/** A function padding any of `texts` to at least a given number of terminal cells (for aligned detail lines). */
export async function cellPadder(texts: Iterable<string>): Promise<(text: string, width: number) => string> {
  await widthsFor(texts);
  return (text, width) => text + " ".repeat(Math.max(0, width - cellWidth(text)));
}
