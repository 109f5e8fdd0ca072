/**
 * Checks what a plugin's process() returned (already JSON-decoded, so untrusted
 * but plain data) and keeps only the result fields, as strings.
 */
import { didYouMean } from "../../domain/closest-name.js";
import { MAX_VALUE_CHARS, RESULT_FIELDS, type ResultField } from "./protocol.js";

export type ValidatedOutput =
  | {
      ok: true;
      values: Partial<Record<ResultField, string>>;
      warnings: string[];
      /**
       * Those of `warnings` that say a result field's value the plugin gave was left out (control characters, a
       * lone surrogate, U+FFFD): the call log records them. An empty value (Library Manager's `series or False`)
       * is the plugin's "no opinion", and an unknown key an extra it keeps, both said in nearly every call of
       * such a plugin: warnings, not notes.
       */
      notes: string[];
    }
  | { ok: false; error: string };

const RESULT_FIELD_SET: ReadonlySet<string> = new Set(RESULT_FIELDS);
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
/** Half of a UTF-16 pair without its other half: not text, and no file name or UTF-8 column can hold it. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** What bytes that could not be decoded become (`errors="replace"`, a raw line that is not UTF-8): letters lost. */
const REPLACEMENT_CHARACTER = "\uFFFD";
const MAX_NAMED_KEYS = 5;

export function validatePluginOutput(data: unknown): ValidatedOutput {
  if (data === null || data === undefined) return { ok: true, values: Object.create(null), warnings: [], notes: [] };
  if (typeof data !== "object" || Array.isArray(data) || !isPlainObject(data)) {
    return { ok: false, error: `process() must return an object or null, got ${describeType(data)}` };
  }
  try {
    return readFields(data as Record<string, unknown>);
  } catch (error) {
    // Only reachable in-process (getters); JSON-decoded data cannot throw here.
    return { ok: false, error: `reading the result failed: ${(error as Error)?.message ?? String(error)}` };
  }
}

function readFields(data: Record<string, unknown>): ValidatedOutput {
  const values: Partial<Record<ResultField, string>> = Object.create(null);
  const warnings: string[] = [];
  const notes: string[] = [];
  const leftOut = (warning: string) => (warnings.push(warning), notes.push(warning));
  const unknown: string[] = [];
  for (const key of Object.keys(data)) {
    if (!RESULT_FIELD_SET.has(key)) {
      unknown.push(key);
      continue;
    }
    const field = key as ResultField;
    const raw = data[key];
    if (raw === null || raw === undefined) continue;
    const empty = emptyValue(raw);
    if (empty !== null) {
      // Library Manager skips every falsy value: `"series": data.get("series", [])` or `narrator or False` runs
      // there, so it is no opinion here too (not a refused result); 0 stays a number (a book 0 exists).
      warnings.push(`ignored field "${field}": ${empty} is no value`);
      continue;
    }
    let value: string;
    if (typeof raw === "string") value = raw.trim();
    else if (typeof raw === "number" && Number.isFinite(raw) && inexactNumber(raw)) {
      // 12345678901234567890123 arrives as 1.2345678901234568e+22: kept, it became the book's author text.
      leftOut(`ignored field "${field}": the number ${String(raw)} is not exact (past 2^53, or written with an exponent, JSON numbers lose digits): return it as a string`);
      continue;
    } else if (typeof raw === "number" && Number.isFinite(raw)) value = String(raw);
    else return { ok: false, error: `field "${field}" must be a string or a number, got ${describeType(raw)}${listHint(field, raw)}` };
    if (value === "") continue;
    if (codePointLength(value) > MAX_VALUE_CHARS) {
      return { ok: false, error: `field "${field}" is longer than ${MAX_VALUE_CHARS} characters` };
    }
    if (CONTROL_CHARS.test(value)) {
      leftOut(`ignored field "${field}": it contains control characters`);
      continue;
    }
    if (LONE_SURROGATE.test(value)) {
      // A Python plugin gets one from bytes that are not UTF-8 (surrogateescape); a Node plugin from a string cut in half.
      leftOut(`ignored field "${field}": it is not valid Unicode (a lone surrogate, e.g. from bytes that are not UTF-8)`);
      continue;
    }
    if (value.includes(REPLACEMENT_CHARACTER)) {
      // "Jos\uFFFD Saramago" would name a folder with the mark of the loss; HTTP sources leave such values out too.
      leftOut(
        `ignored field "${field}": it holds U+FFFD, the mark of bytes that could not be decoded (letters were lost: decode the text in its own charset, e.g. Windows-1252, not with errors="replace")`,
      );
      continue;
    }
    values[field] = value;
  }
  // Extra keys are common (Library Manager plugins return a fetch time and such, which it ignores too): a
  // warning for `plugins test`, not a note in every call's log row.
  if (unknown.length > 0) warnings.push(unknownKeysWarning(unknown));
  return { ok: true, values, warnings, notes };
}

function emptyValue(value: unknown): string | null {
  if (value === false) return "false";
  if (Array.isArray(value) && value.length === 0) return "an empty list";
  if (typeof value === "object" && value !== null && isPlainObject(value) && Object.keys(value).length === 0) return "an empty object";
  return null;
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "number") return Number.isFinite(value) ? "a number" : String(value);
  return `a ${typeof value}`;
}

function inexactNumber(value: number): boolean {
  return (Number.isInteger(value) && !Number.isSafeInteger(value)) || String(value).includes("e");
}

function codePointLength(value: string): number {
  if (value.length <= MAX_VALUE_CHARS) return value.length;
  let count = 0;
  for (const _ of value) count++;
  return count;
}

/** A list of names where one text goes (`"narrator": ["A", "B"]`): how to write it. */
function listHint(field: ResultField, raw: unknown): string {
  if ((field !== "author" && field !== "narrator" && field !== "authors") || !Array.isArray(raw) || !raw.every((item) => typeof item === "string")) return "";
  const shown = raw.slice(0, 2).map((name) => String(name).slice(0, 40));
  // `authors` is the book's list field, "; " between names (as in the book); the others read "A & B" as people.
  return ` (several people go in one text: ${JSON.stringify(shown.join(field === "authors" ? "; " : " & "))})`;
}

/** ` (did you mean "series_num"?)` for a key close to a result field, by spelling or by its camelCase or case. */
function meantField(key: string): string {
  const snake = key.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/-/g, "_").toLowerCase();
  if (snake !== key && RESULT_FIELD_SET.has(snake)) return ` (did you mean ${JSON.stringify(snake)}?)`;
  return didYouMean(key, RESULT_FIELDS);
}

function unknownKeysWarning(keys: string[]): string {
  // A misspelt field ("langauge", "seriesNum") is named with the one meant: the value was lost without error.
  const named = keys.slice(0, MAX_NAMED_KEYS).map((k) => JSON.stringify(k.length > 40 ? k.slice(0, 40) + "…" : k) + (k.length > 40 ? "" : meantField(k)));
  const more = keys.length > MAX_NAMED_KEYS ? ` and ${keys.length - MAX_NAMED_KEYS} more` : "";
  return `ignored unknown field${keys.length > 1 ? "s" : ""} ${named.join(", ")}${more}`;
}
