/**
 * Numbers typed on the command line: the rule (decimal digits only) is
 * domain/number-text.ts, the API's too; here the CLI's refusals.
 */
import { EXIT } from "../app/exit-codes.js";
import { quotedInput } from "../domain/quoted-input.js";
import { wholeNumber } from "../domain/number-text.js";
import { UserError } from "./errors.js";

export { decimalNumber, wholeNumber } from "../domain/number-text.js";

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
