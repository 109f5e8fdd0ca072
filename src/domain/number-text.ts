/**
 * Numbers typed as text (a command-line option, an API query or path value):
 * plain decimal digits only, one rule for the CLI and the API. Number() would
 * also take "1e3", "0x10", "0b1" and "" (as 1000, 16, 1 and 0): a typo must
 * not become `undo --last 1000`, nor `?min_confidence=0x10` a filter at 16.
 * White space around the digits is allowed (a quoted " 5" is still 5).
 */
import { quotedInput } from "./quoted-input.js";

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

/** The numbers a value may be: whole or decimal, from `min` to `max`. */
export interface NumberRange {
  whole: boolean;
  min: number;
  max: number;
}

export type NumberReading = { ok: true; value: number } | { ok: false; problem: string };

/** What a value in `range` must be, in words: "a whole number from 1 to 500 (decimal digits, e.g. 20)". */
export function numberRule(range: NumberRange): string {
  const kind = range.whole ? "a whole number" : "a number";
  const example = Math.min(range.max, Math.max(range.min, range.whole ? 20 : 80));
  return `${kind} from ${range.min} to ${range.max} (decimal digits${range.whole ? "" : " and an optional fraction"}, e.g. ${example})`;
}

/** The number `text` spells within `range`, or why not: "must be a whole number from 1 to 500 (…) (got "0x10")". */
export function readNumberText(text: string, range: NumberRange): NumberReading {
  const value = range.whole ? wholeNumber(text) : decimalNumber(text);
  if (Number.isFinite(value) && value >= range.min && value <= range.max) return { ok: true, value };
  return { ok: false, problem: `must be ${numberRule(range)} (got ${quotedInput(text)})` };
}
