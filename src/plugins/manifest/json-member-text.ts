/**
 * The source text of one member of a JSON object, as written: `1.0` stays `1.0` where JSON.parse
 * gives the number 1. Library Manager hands a plugin its manifest's `version` as Python's json module
 * reads it (`1.0` a float, `2` an int, `1.10` the float 1.1): the Python runner reads the same text
 * with the same module instead of a value Node has already rounded or retyped.
 *
 * Only for text JSON.parse accepted: no error handling for broken JSON. Pure.
 */

/** Index just past the JSON value starting at `start` (white space before it already skipped). */
function valueEnd(text: string, start: number): number {
  let depth = 0;
  let i = start;
  do {
    const c = text[i];
    if (c === '"') {
      i++;
      while (text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
      i++;
    } else if (c === "{" || c === "[") {
      depth++;
      i++;
    } else if (c === "}" || c === "]") {
      depth--;
      i++;
    } else if (c === "," || c === ":" || c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
    } else {
      while (i < text.length && !/[\s,}\]:]/.test(text[i]!)) i++;
    }
  } while (depth > 0 && i < text.length);
  return i;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return i;
}

/**
 * The text of the value of `key` in the top-level object of `text` (the last one when the key repeats,
 * as JSON.parse and Python's json take it), or null when it has none or `text` is not an object.
 */
export function jsonMemberText(text: string, key: string): string | null {
  let i = skipSpace(text, 0);
  if (text[i] !== "{") return null;
  i = skipSpace(text, i + 1);
  let found: string | null = null;
  while (text[i] === '"') {
    const keyEnd = valueEnd(text, i);
    const name = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipSpace(text, keyEnd);
    i = skipSpace(text, i + 1); // the colon
    const end = valueEnd(text, i);
    if (name === key) found = text.slice(i, end);
    i = skipSpace(text, end);
    if (text[i] === ",") i = skipSpace(text, i + 1);
  }
  return found;
}

/**
 * The keys of the top-level object of `text` given more than once, each named once, in order. Only for text
 * JSON.parse accepted.
 */
export function repeatedMembers(text: string): string[] {
  let i = skipSpace(text, 0);
  if (text[i] !== "{") return [];
  i = skipSpace(text, i + 1);
  const seen = new Set<string>();
  const repeated = new Set<string>();
  while (text[i] === '"') {
    const keyEnd = valueEnd(text, i);
    const name = JSON.parse(text.slice(i, keyEnd)) as string;
    (seen.has(name) ? repeated : seen).add(name);
    i = skipSpace(text, keyEnd);
    i = skipSpace(text, i + 1); // the colon
    i = skipSpace(text, valueEnd(text, i));
    if (text[i] === ",") i = skipSpace(text, i + 1);
  }
  return [...repeated];
}
