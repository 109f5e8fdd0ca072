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
/** Fitting a terminal never cuts a column narrower than this ("Anne…"): a line then wraps rather than say nothing. */
const MIN_CUT = 5;
/** A last column that wraps is continued under itself when it has this much room, else on lines of its own. */
const MIN_WRAP = 20;
/** The indent of a last column continued on lines of its own. */
const OWN_LINE_INDENT = 4;
const GAP = "  ";

export interface TableOptions {
  /** The widest a column gets before its cells are cut (default 48); Infinity (`--wide`): nothing is cut, nor fitted to the terminal. */
  maxColumn?: number;
  /**
   * The columns (by header) that may be cut to fit a terminal: free text such as titles, names and
   * paths. Ids, numbers, states and times are never cut; neither is the last column unless listed
   * here: it wraps, so that a reason or an error is read in full.
   */
  cut?: readonly string[];
}

/**
 * Prints the table on `stream`. On a terminal of known width (stdout's
 * columns) the table is fitted to it, since a line that wraps breaks every
 * column after it: the widest of the `cut` columns are cut with "…" until
 * the line fits, and a last column that does not fit continues on lines of
 * its own. Not on a terminal (a pipe, a file) there is no width to fit.
 */
export async function printTable(headers: string[], rows: Cell[][], options: TableOptions = {}, stream: NodeJS.WriteStream = process.stdout): Promise<void> {
  const limit = options.maxColumn ?? MAX_COLUMN;
  const cells = rows.map((row) => row.map((cell) => terminalSafe(cell)));
  await widthsFor([...headers, ...cells.flat()]);
  const last = headers.length - 1;
  const cuttable = headers.map((h) => options.cut?.includes(h) ?? false);
  const wrapLast = !cuttable[last];
  // The last column ends the line, so off a terminal nothing needs it cut: a reason or an error is read in full.
  const widths = headers.map((h, i) => {
    const natural = Math.max(cellWidth(h), ...cells.map((row) => cellWidth(row[i]!)));
    return i === last ? natural : Math.min(limit, natural);
  });
  const terminal = limit === Infinity ? undefined : terminalWidth(stream);
  // Where a wrapping last column's text goes on a narrow terminal: `start` cells in, `room` cells a line.
  let wrapping: { start: number; room: number; ownLine: boolean } | null = null;
  if (terminal !== undefined) {
    fitColumns(widths, cuttable, terminal, wrapLast ? Math.min(widths[last]!, MIN_WRAP) : null);
    const start = widths.slice(0, last).reduce((sum, w) => sum + w + GAP.length, 0);
    // Too many columns that may not be cut (ids, counts, states) for this terminal: one block per row.
    if (wrapLast ? start - GAP.length > terminal : start + widths[last]! > terminal) return printRecords(headers, cells, terminal, stream);
    if (wrapLast && start + widths[last]! > terminal) {
      const under = terminal - start >= MIN_WRAP;
      wrapping = under ? { start, room: terminal - start, ownLine: false } : { start: OWN_LINE_INDENT, room: Math.max(MIN_CUT, terminal - OWN_LINE_INDENT), ownLine: true };
    }
  }
  const line = (row: string[], isRule = false) => {
    const head = row.slice(0, last).map((cell, i) => fit(cell, widths[i]!));
    const tail = row[last]!;
    if (!wrapping) return [...head, fit(tail, widths[last]!)].join(GAP).trimEnd();
    const indent = " ".repeat(wrapping.start);
    if (wrapping.ownLine) {
      const first = head.join(GAP).trimEnd();
      return tail === "" || isRule ? first : [first, ...wrap(tail, wrapping.room).map((part) => indent + part)].join("\n");
    }
    const parts = wrap(tail, wrapping.room);
    return [[...head, parts[0]!].join(GAP).trimEnd(), ...parts.slice(1).map((part) => indent + part)].join("\n");
  };
  const ruleWidth = (w: number, i: number) => (i === last ? Math.min(w, limit, wrapping && !wrapping.ownLine ? wrapping.room : Infinity) : w);
  const header = wrapping?.ownLine ? [...headers.slice(0, last), ""] : headers;
  stream.write(line(header) + "\n" + line(widths.map((w, i) => "-".repeat(ruleWidth(w, i))), true) + "\n");
  for (const row of cells) stream.write(line(row) + "\n");
}

/**
 * The table as one block per row, a header and its value a line, for a
 * terminal narrower than the columns that may not be cut: rows of columns
 * wrapping over each other cannot be read. Values too long for a line wrap
 * under themselves.
 */
function printRecords(headers: string[], cells: string[][], terminal: number, stream: NodeJS.WriteStream): void {
  const labelWidth = Math.max(...headers.map(cellWidth));
  const room = Math.max(MIN_CUT, terminal - labelWidth - GAP.length);
  const indent = " ".repeat(labelWidth + GAP.length);
  const blocks = cells.map((row) =>
    headers
      .map((header, i) => {
        const [first, ...rest] = wrap(row[i]!, room);
        return [`${header}${" ".repeat(labelWidth - cellWidth(header))}${GAP}${first}`.trimEnd(), ...rest.map((part) => indent + part)].join("\n");
      })
      .join("\n"),
  );
  if (blocks.length > 0) stream.write(blocks.join("\n\n") + "\n");
}

/** The terminal's width in cells, or undefined off a terminal (or when it does not say). */
function terminalWidth(stream: NodeJS.WriteStream): number | undefined {
  if (!stream.isTTY) return undefined;
  const columns = stream.columns || Number(process.env.COLUMNS);
  return Number.isInteger(columns) && columns > 0 ? columns : undefined;
}

/**
 * Narrows the widest cuttable columns (all to one cap, never below MIN_CUT)
 * until the line fits `width`, leaving `lastRoom` for a last column that
 * wraps. Other columns keep their width.
 */
function fitColumns(widths: number[], cuttable: boolean[], width: number, lastRoom: number | null): void {
  const last = widths.length - 1;
  const total = (cap: number) =>
    widths.reduce((sum, w, i) => sum + (i === last && lastRoom !== null ? lastRoom : cuttable[i] ? Math.min(w, cap) : w), 0) + GAP.length * last;
  let cap = Math.max(0, ...widths.filter((_, i) => cuttable[i]));
  while (cap > MIN_CUT && total(cap) > width) cap--;
  for (let i = 0; i < widths.length; i++) if (cuttable[i]) widths[i] = Math.min(widths[i]!, cap);
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

/** `text` in lines of at most `width` cells, broken after a space or a slash where one is near the end. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = "";
  let used = 0;
  let breakAt = -1;
  for (const { segment } of new Intl.Segmenter().segment(text)) {
    const sw = cellWidth(segment);
    if (used + sw > width && current !== "") {
      // At a break point in the line's second half; else mid-word.
      const cut = breakAt > current.length / 2 ? breakAt : current.length;
      lines.push(current.slice(0, cut).trimEnd());
      current = current.slice(cut).trimStart();
      used = cellWidth(current);
      breakAt = -1;
    }
    current += segment;
    used += sw;
    if (segment === " " || segment === "/") breakAt = current.length;
  }
  if (current !== "" || lines.length === 0) lines.push(current);
  return lines;
}

/** A function padding any of `texts` to at least a given number of terminal cells (for aligned detail lines). */
export async function cellPadder(texts: Iterable<string>): Promise<(text: string, width: number) => string> {
  await widthsFor(texts);
  return (text, width) => text + " ".repeat(Math.max(0, width - cellWidth(text)));
}
