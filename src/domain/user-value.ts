/**
 * What a value the user types for a field (`book ID --set`, the web app's
 * correction form) may be. Values from sources are cleaned quietly (control
 * characters dropped, cut at 500 characters: domain/clean-text.ts); a person's
 * own value is refused instead, saying what to fix, because cleaning it
 * quietly would store something other than what they typed: a 100 KB title
 * was cut to 500 characters without a word, a pasted line break became a space.
 */
import type { FieldName } from "./fields.js";

/**
 * The longest value per field, in characters (UTF-16 units: an emoji counts as two). Names and titles
 * get room for the longest real ones (and lists of authors); title and
 * subtitle stop at 500, the cap every stored value has. Documented in README.
 */
export const USER_VALUE_LIMITS: Readonly<Record<FieldName, number>> = {
  author: 300,
  authors: 500,
  narrator: 300,
  title: 500,
  subtitle: 500,
  series: 300,
  series_num: 16,
  // Beyond its 4 digits a year is refused by its own rule, which says what a year is.
  year: 16,
  language: 40,
  edition: 100,
  variant: 100,
};

// Every field is one line. C0 controls (tab and line breaks included), DEL, C1
// controls, the line and paragraph separators, and the direction embeddings,
// overrides and isolates that make text show in an order other than stored.
const REFUSED = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

// Control characters and line separators only: text written by a plugin's author, where right-to-left names
// may carry direction controls of their own (the pages isolate them, the CLI writes them as escapes).
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;
// The same, line breaks and tabs aside: for a text of several lines (a plugin's description).
const CONTROLS_IN_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]/u;

/**
 * The first character of `value` that has no place in one line of text shown to people (a control character,
 * or, unless `controlsOnly`, one that shows the text in another order than stored), as `has a control
 * character (U+001B) at character 5`; null when there is none. With `lines`, line breaks and tabs pass too.
 */
export function shownTextProblem(value: string, { lines = false, controlsOnly = false } = {}): string | null {
  const bad = (lines ? CONTROLS_IN_LINES : controlsOnly ? CONTROLS : REFUSED).exec(value);
  if (!bad) return null;
  const at = [...value.slice(0, bad.index)].length + 1;
  const [what, why] = characterName(bad[0]);
  return `has ${what} at character ${at}${why}`;
}

/** Why `value` cannot be the user's value for `field`, saying what to fix; null when it can. */
export function userValueProblem(field: FieldName, value: string): string | null {
  const bad = shownTextProblem(value);
  if (bad) return `${field} ${bad}; every field is one line of text: remove it and give the value again`;
  // U+FFFD is what bytes that are not UTF-8 become on the way in (a Latin-1 terminal, a script's Windows-1252
  // text: `--set title=Caf\xe9`): kept, the value would show and name its folder with that mark for the letter.
  const lost = value.indexOf("\ufffd");
  if (lost >= 0) {
    return `${field} has the replacement character \ufffd (U+FFFD) at character ${[...value.slice(0, lost)].length + 1}: a letter arrived as bytes that are not UTF-8 (a terminal or script set to Latin-1 or Windows-1252) and was lost; give the value again as UTF-8`;
  }
  // A year read from "1984.5" was 1984 (a year.month date, to the date reader): a fraction is no year, and no date either.
  if (field === "year" && /^\s*[-+]?\d+[.,]\d+\s*$/.test(value)) return `year ${JSON.stringify(value.trim())} has a fraction: give the year in 4 digits (1984), or a whole date (1984-05-01)`;
  if (field === "year") {
    const bad = impossibleDate(value);
    if (bad) return `year ${JSON.stringify(value.trim())} is no date: ${bad}; give the year in 4 digits (${value.trim().slice(0, 4)}), or a whole date that exists (${value.trim().slice(0, 4)}-05-01)`;
  }
  const limit = USER_VALUE_LIMITS[field];
  // Counted as every stored value is capped (UTF-16 units, domain/clean-text.ts), so a value within
  // its limit is kept whole; an emoji or another character beyond U+FFFF counts as two.
  if (value.length > limit) {
    const astral = [...value].length !== value.length ? " (an emoji or another character beyond U+FFFF counts as two)" : "";
    return `${field} is ${value.length.toLocaleString("en-US")} characters long${astral}, over its limit of ${limit}: shorten it`;
  }
  return null;
}

/**
 * What makes a year-first date impossible (`2019-13-45`: month 13), or null. The date reader takes the year of any
 * `YYYY-MM-DD` shape, as tags write them; a person typing one means a date, and one that does not exist is a slip.
 */
function impossibleDate(value: string): string | null {
  const date = /^\s*(\d{4})([-./])(\d{1,2})(?:\2(\d{1,2}))?\s*$/.exec(value);
  if (!date) return null;
  const [year, month, day] = [Number(date[1]), Number(date[3]), date[4] === undefined ? null : Number(date[4])];
  if (month < 1 || month > 12) return `there is no month ${month}`;
  if (day !== null && (day < 1 || new Date(Date.UTC(year, month - 1, day)).getUTCMonth() !== month - 1)) return `month ${month} has no day ${day}`;
  return null;
}

/** What the character is, and why it matters when that is not plain. */
function characterName(ch: string): [string, string] {
  const code = `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
  if (ch === "\n" || ch === "\r" || ch === "\u2028" || ch === "\u2029" || ch === "\u0085") return [`a line break (${code})`, ""];
  if (ch === "\t") return [`a tab (${code})`, ""];
  if (/[\u202a-\u202e\u2066-\u2069]/u.test(ch)) return [`a text-direction control (${code})`, ", which shows the text in another order than it is stored"];
  return [`a control character (${code})`, ""];
}
