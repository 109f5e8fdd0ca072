/**
 * Numbers typed on the command line: plain decimal digits only. Number()
 * would also take "1e3", "0x10", "0b1" and " " (as 1000, 16, 1 and 0): a
 * typo must not become `undo --last 1000`.
 */
const WHOLE = /^\s*\d+\s*$/;
const DECIMAL = /^\s*\d+(\.\d+)?\s*$/;

/** The whole number `text` spells in decimal digits, else NaN. */
export function wholeNumber(text: string): number {
  return WHOLE.test(text) ? Number(text) : NaN;
}

/** The non-negative decimal number `text` spells (`12`, `0.5`), else NaN. */
export function decimalNumber(text: string): number {
  return DECIMAL.test(text) ? Number(text) : NaN;
}
