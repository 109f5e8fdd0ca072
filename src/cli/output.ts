/**
 * Printing for the terminal. Everything a command prints for people goes
 * through `terminalSafe`: folder names, tags, sidecars, plugin answers and
 * error text are hostile, and a carriage return, an escape sequence or a bidi
 * override in them must never reach the terminal as a command. `--json`
 * prints exact values (JSON escapes every control character itself).
 */

// JSON.stringify escapes C0 controls but writes these as they are; as \u escapes they parse back to the exact same values.
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function printJson(value: unknown): void {
  const text = JSON.stringify(value, null, 2).replace(JSON_UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
  process.stdout.write(text + "\n");
}

export { terminalSafe } from "../domain/terminal-safe.js";
import { terminalSafe } from "../domain/terminal-safe.js";

/** Multi-line text (an error with details) made safe line by line: its own line breaks stay. */
export function terminalSafeLines(text: string): string {
  return text.split("\n").map(terminalSafe).join("\n");
}

/** A word longer than any path the system takes (PATH_MAX, 4096): a pasted value, not a name to read. */
const OVERLONG_WORD = /\S{4097,}/g;
const LONGEST_LINE = 8192;

/**
 * A message for stderr: made safe (terminalSafeLines) and bounded. Messages quote what was typed or found (a
 * path, a word, a value), and a 100 KB argument (`library add "$(cat file)"`) was echoed whole, flooding the
 * terminal and burying the reason: a word longer than any path is cut, then a line still too long loses its middle.
 */
export function messageText(text: string): string {
  return terminalSafeLines(text)
    .split("\n")
    .map((line) => {
      const cut = line.replace(OVERLONG_WORD, (word) => `${[...word].slice(0, 200).join("")}… (${word.length.toLocaleString("en-US")} characters)`);
      if (cut.length <= LONGEST_LINE) return cut;
      return `${cut.slice(0, LONGEST_LINE - 1500)} … (${(cut.length - LONGEST_LINE).toLocaleString("en-US")} characters left out) … ${cut.slice(-1500)}`;
    })
    .join("\n");
}

export type Cell = string | number | null | undefined;

/**
 * Prints lines of text for people (a book's details, a summary). Use `${v}`
 * only for shelfwise's own words; pass every value from outside (folder names,
 * tags, plugin output) through `shown`.
 */
export function printLines(...lines: string[]): void {
  process.stdout.write(lines.map((l) => `${l}\n`).join(""));
}

/**
 * Every line shelfwise writes to stderr for a person starts with `shelfwise: ` (README, exit codes and
 * messages): an error says what to fix, a warning what was done but needs you (config.json's unknown key,
 * a plugin's manifest), a note a fact the output does not carry (`--json` beside an outcome line). So a
 * script can tell shelfwise's lines from a plugin's or the shell's, and a person reads one style.
 */
export function warnLine(text: string): void {
  process.stderr.write(`shelfwise: warning: ${messageText(terminalSafe(text))}\n`);
}

let quiet = false;

/** `--quiet`: no notes and no progress line; warnings and errors, which need the user, are still printed. */
export function beQuiet(on: boolean): void {
  quiet = on;
}

export function isQuiet(): boolean {
  return quiet;
}

/** A note on stderr (see warnLine); left out with --quiet. */
export function noteLine(text: string): void {
  if (quiet) return;
  process.stderr.write(`shelfwise: note: ${messageText(terminalSafe(text))}\n`);
}

/** A value from outside, safe to print on one line (terminalSafe). */
export function shown(value: Cell): string {
  return terminalSafe(value);
}

/** Aligned columns for people; the table printer (table.ts) loads on first use, so --json never loads it. */
export async function printTable(headers: string[], rows: Cell[][], options: import("./table.js").TableOptions = {}): Promise<void> {
  await (await import("./table.js")).printTable(headers, rows, options);
}
