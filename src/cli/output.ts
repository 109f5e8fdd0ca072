/**
 * Everything the CLI prints for people goes through here: tables and detail
 * lines. Values are made safe to print in one place (`shown`), and columns
 * are measured in terminal cells (CJK and emoji take two), not characters.
 */
import stringWidth from "string-width";

type Cell = string | number | null | undefined;

/** Stable JSON for scripts (docs/cli-json.md). */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + "\n");
}

/** The widest a column gets before its cells are cut with "…". */
const MAX_COLUMN = 48;

export function printTable(headers: string[], rows: Cell[][], options: { maxColumn?: number } = {}): void {
  const limit = options.maxColumn ?? MAX_COLUMN;
  const cells = rows.map((row) => row.map((cell) => shown(cell)));
  const widths = headers.map((h, i) => Math.min(limit, Math.max(stringWidth(h), ...cells.map((row) => stringWidth(row[i]!)))));
  const line = (row: string[]) =>
    row
      .map((cell, i) => fit(cell, widths[i]!))
      .join("  ")
      .trimEnd();
  process.stdout.write(line(headers) + "\n" + line(widths.map((w) => "-".repeat(w))) + "\n");
  for (const row of cells) process.stdout.write(line(row) + "\n");
}

/**
 * Prints lines of text for people (a book's details, a summary). Use `${v}`
 * only for shelfwise's own words; pass every value from outside (folder names,
 * tags, plugin output) through `shown`.
 */
export function printLines(...lines: string[]): void {
  process.stdout.write(lines.map((l) => `${l}\n`).join(""));
}

/** A value from outside made safe to print on one line: folder names can hold newlines and control characters. */
export function shown(value: Cell): string {
  if (value === null || value === undefined) return "";
  return String(value).replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
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
