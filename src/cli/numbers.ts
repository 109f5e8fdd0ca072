/**
 * Numbers typed on the command line: plain decimal digits only. Number()
 * would also take "1e3", "0x10", "0b1" and " " (as 1000, 16, 1 and 0): a
 * typo must not become `undo --last 1000`.
 */
import { EXIT } from "../app/exit-codes.js";
import { quotedInput } from "../domain/quoted-input.js";
import { UserError } from "./errors.js";

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

/**
 * The whole number `text` spells, at least 1, else bad input (exit 2) naming
 * `name`. A number past JavaScript's exact integers (`99999999999999999999`)
 * is a positive whole number all the same: it is refused as too large rather
 * than told it is not a number, and an id that large names nothing.
 */
export function positiveWhole(text: string, name: string, kind: "id" | "count" = "count"): number {
  const n = wholeNumber(text);
  if (Number.isSafeInteger(n) && n > 0) return n;
  if (Number.isFinite(n) && n > 0) {
    throw new UserError(
      kind === "id" ? `${name} ${quotedInput(text.trim())} names nothing: it is larger than any id shelfwise gives` : `${name} is too large (got ${quotedInput(text)}; at most ${Number.MAX_SAFE_INTEGER})`,
      EXIT.badInput,
    );
  }
  throw new UserError(`${name} must be a positive whole number (got ${quotedInput(text)})`, EXIT.badInput);
}
