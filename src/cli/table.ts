/**
 * Aligned columns for people. Kept apart from output.ts and loaded only when a
 * command prints a table (never for --json): string-width sets up an
 * Intl.Segmenter when it loads, whose Unicode data costs a command start
 * ~15 ms.
 */
import stringWidth from "string-width";
import { terminalSafe, type Cell } from "./output.js";

/** The widest a column gets before its cells are cut with "…". */
const MAX_COLUMN = 48;

export function printTable(headers: string[], rows: Cell[][], options: { maxColumn?: number } = {}): void {
  const limit = options.maxColumn ?? MAX_COLUMN;
  const cells = rows.map((row) => row.map((cell) => terminalSafe(cell)));
  const widths = headers.map((h, i) => Math.min(limit, Math.max(stringWidth(h), ...cells.map((row) => stringWidth(row[i]!)))));
  const line = (row: string[]) =>
    row
      .map((cell, i) => fit(cell, widths[i]!))
      .join("  ")
      .trimEnd();
  process.stdout.write(line(headers) + "\n" + line(widths.map((w) => "-".repeat(w))) + "\n");
  for (const row of cells) process.stdout.write(line(row) + "\n");
}


/** `text` padded (or cut with "…") to exactly `width` terminal cells. */
export function fit(text: string, width: number): string {
  const w = stringWidth(text);
  if (w <= width) return text + " ".repeat(width - w);
  let out = "";
  let used = 0;
  for (const { segment } of new Intl.Segmenter().segment(text)) {
    const sw = stringWidth(segment);
    if (used + sw > width - 1) break;
    out += segment;
    used += sw;
  }
  return out + "…" + " ".repeat(Math.max(0, width - 1 - used));
}

/** `text` padded to at least `width` terminal cells (for aligned detail lines). */
export function padCells(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - stringWidth(text)));
}
