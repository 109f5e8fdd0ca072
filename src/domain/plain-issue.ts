/**
 * A schema problem in plain words. zod's own words for a bound ("Too big: expected number to be <=100") are a
 * programmer's; a person filling a form or a query reads "must be at most 100". Structural, so this module
 * imports no schema library: anything shaped like a zod issue is worded, and what is not a bound keeps its
 * message as it is.
 */
import { closestName, didYouMean } from "./closest-name.js";

export interface IssueLike {
  code: string;
  message: string;
  origin?: string;
  maximum?: unknown;
  minimum?: unknown;
  inclusive?: boolean;
  /** The allowed words of an enumeration (zod's `invalid_value`). */
  values?: readonly unknown[];
}

const UNITS: Record<string, [one: string, many: string]> = {
  string: ["character", "characters"],
  array: ["item", "items"],
  set: ["item", "items"],
  file: ["byte", "bytes"],
};

function bound(issue: IssueLike, limit: unknown, most: boolean): string | null {
  if (typeof limit !== "number" && typeof limit !== "bigint") return null;
  const n = Number(limit);
  const unit = issue.origin ? UNITS[issue.origin] : undefined;
  if (unit) {
    // Lengths are whole: "more than 4 characters" is "at least 5".
    const whole = issue.inclusive === false ? (most ? n - 1 : n + 1) : n;
    if (!most && whole === 1) return "must not be empty";
    return `must be at ${most ? "most" : "least"} ${whole} ${whole === 1 ? unit[0] : unit[1]}`;
  }
  if (issue.origin !== "number" && issue.origin !== "int" && issue.origin !== "bigint") return null;
  if (issue.inclusive === false) return `must be ${most ? "less" : "more"} than ${n}`;
  return `must be at ${most ? "most" : "least"} ${n}`;
}

/**
 * Whether a schema's own words already point to the word meant (`is "get": write "GET" (in this letter case)`,
 * `... (did you mean "GET"?)`): a hint after them said the same thing twice.
 */
function saysItAlready(message: string, given: string, values: readonly string[]): boolean {
  const lower = message.toLowerCase();
  if (lower.includes("did you mean")) return true;
  const meant = closestName(given, values);
  if (meant === null) return false;
  return ["write", "use", "try"].some((verb) => lower.includes(`${verb} ${JSON.stringify(meant).toLowerCase()}`));
}

/**
 * `given` is the value refused, when the caller has it (zod leaves it out of its issues): a mistyped word of an
 * enumerated parameter (`sort=confidance`) gets the "did you mean" the CLI gives its own mistyped words.
 */
export function plainIssueMessage(issue: IssueLike, given?: unknown): string {
  if (issue.code === "invalid_value" && typeof given === "string" && issue.values?.every((v) => typeof v === "string")) {
    const values = issue.values as readonly string[];
    const hint = didYouMean(given, values);
    // zod's own words ('Invalid option: expected one of "asc"|"desc"') reworded; a schema's chosen words kept.
    if (/^Invalid option:/.test(issue.message)) return `unknown value ${JSON.stringify(given)}${hint}; use one of: ${values.join(", ")}`;
    return saysItAlready(issue.message, given, values) ? issue.message : `${issue.message}${hint}`;
  }
  // A schema's own words for a bound ("a test needs a book title") were chosen: kept. Only zod's defaults are reworded.
  if (!/^Too (big|small):/.test(issue.message)) return issue.message;
  if (issue.code === "too_big") return bound(issue, issue.maximum, true) ?? issue.message;
  if (issue.code === "too_small") return bound(issue, issue.minimum, false) ?? issue.message;
  return issue.message;
}
