/**
 * Reads an API's answer by the source's mapping: `result_path` finds the list
 * of candidates, each field's JSONPath is read relative to one candidate
 * (`$` is the candidate). JSONPath runs through jsonpath-plus with its safe
 * evaluator for filters (`[?(@.type == "ISBN_13")]`): expressions over the
 * answer's values, never JavaScript, so a definition can never run code; a
 * filter that cannot be applied to an element (a field it reads is missing
 * there) leaves the element out rather than failing the book; config checks
 * each expression's syntax up front (config/json-path-rule.ts). Values are coerced and
 * cleaned the way tags and sidecars are (the claims then pass the same
 * garbage checks as every source's).
 */
import { createRequire } from "node:module";
import type { Claim, FieldName } from "../../domain/fields.js";
import { AUTHORS_SEPARATOR, isFieldName } from "../../domain/fields.js";
import { splitAuthors } from "../../domain/person-name.js";
import { stripHtml } from "../../domain/html-text.js";
import { normalizeLanguage } from "../../domain/normalize.js";
import { capText, cleanDescription, joinNames, normalizeSeriesNum, parseYear, splitSeries } from "../../library/claim-values.js";
import type { MappableField } from "../../config/http-source-schema.js";
import { parseJsonBody } from "../http/json-response.js";
import { nearestPath } from "./path-hint.js";
import { serviceWords, type ParsedAnswer } from "../web-source.js";

/** One candidate as read: cleaned values per mapped field (lists for genres and tags). */
export interface MappedCandidate {
  title: string | null;
  authors: string[];
  values: Partial<Record<MappableField, string | string[]>>;
  /**
   * A single-value field (year, title, series_num...) whose JSONPath matched several different values: all of
   * them, the first being the one taken. Said in `sources test` and in the claim's evidence (its basis), so a
   * path that selects a list (`$.years[*]`) is seen, not silently cut to its first value.
   */
  several?: Partial<Record<MappableField, string[]>>;
  /**
   * A name field (author, authors, narrator) whose JSONPath matched only numbers (`"author": 42`, an id where a
   * name was expected): not taken, and why, for `sources test` to show as a refused claim.
   */
  refused?: Partial<Record<MappableField, { value: string; reason: string }>>;
  /**
   * A single-text field whose value taken differs from the text the answer held (direction controls and invisible
   * characters dropped, markup stripped, spaces collapsed, cut to the field's length): that text as sent, at most
   * MAX_SENT_CHARS of it, and its whole length. The live test shows it beside the value taken: the user debugging a
   * source sees the real answer, not only the cleaned one. Never claimed.
   */
  sent?: Partial<Record<MappableField, { text: string; length: number }>>;
  /** A field whose JSONPath found nothing: the path the answer has nearest to it (a typo's fix), for the reason said. */
  nearer?: Partial<Record<MappableField, string>>;
}

/** Of a value as sent, the most kept for the live test's eyes (the whole body is in `raw_response`, cut too). */
export const MAX_SENT_CHARS = 2000;

/** Fields that hold people's names: a JSON number there is an id or a count, never a name. */
const NAME_FIELDS: ReadonlySet<MappableField> = new Set(["author", "authors", "narrator"]);

/** Fields the mapping reads as lists or joins (several values are their point), and the free text description. */
const MANY_VALUED: ReadonlySet<MappableField> = new Set(["author", "narrator", "authors", "genres", "tags", "description"]);

// jsonpath-plus is loaded when an HTTP source first reads an answer, not at
// every start of a command that builds the pipeline.
const loadCommonJs = createRequire(import.meta.url);
let jsonPath: typeof import("jsonpath-plus").JSONPath | null = null;

export const MAX_CANDIDATES = 50;
const MAX_LIST_ITEMS = 30;
const REPLACEMENT_CHARACTER = "\uFFFD";

/** Thrown by the match callback to stop the walk: a marker, so no stack is captured. */
const ENOUGH = Object.freeze({ enough: true });

/**
 * The matches of `path` in `json`, the first `limit` of them. jsonpath-plus has no limit of its own and walks the
 * whole answer before it returns: `$..*` over a 1 MB answer cost ~0.46 CPU-s a book, for 50 candidates kept. Its
 * callback sees each match as it is found (its documented use), so the walk is stopped by throwing from it once
 * `limit` are in. A walk that ends by itself returns the library's own list, exactly as before.
 */
export function evaluatePath(path: string, json: unknown, limit = Infinity): unknown[] {
  // JSON.parse output only: plain objects, arrays and scalars.
  jsonPath ??= (loadCommonJs("jsonpath-plus") as typeof import("jsonpath-plus")).JSONPath;
  // A step that fans out (recursive `..`, a wildcard, a filter, a slice, a union) and finds nothing (a typo, a
  // key the answer does not have, a filter no value passes) stops at no limit: bounded here. Not only `..`: a
  // filter over the array of a 2 MiB answer of a million numbers (`$.t[?(@ > 1)]`) cost ~0.6 CPU-s a mapped
  // field, ~3 s a book with the event loop held, and answered nothing.
  if (FANS_OUT.test(path)) json = walkable(json, path.includes("?(") ? MAX_FILTERED_VALUES : MAX_WALKED_VALUES);
  const seen: unknown[] = [];
  let skipped = false;
  const callback = (value: unknown, _type: unknown, match?: { parent?: unknown; parentProperty?: unknown }) => {
    // `.length` of a list or a text is JavaScript's count, not a value of the answer (`$.authors.length` gave
    // "2" as a name, `$.title.length` a number): no match. An object's own "length" key is read as any key.
    if (match?.parentProperty === "length" && (Array.isArray(match.parent) || typeof match.parent === "string")) {
      skipped = true;
      return;
    }
    seen.push(value);
    if (seen.length >= limit) throw ENOUGH;
  };
  let found: unknown;
  try {
    found = jsonPath({ path, json: json as object, eval: "safe", ignoreEvalErrors: true, wrap: true, callback });
  } catch (error) {
    if (error === ENOUGH) return seen;
    // jsonpath-plus follows a script segment's number as an index only in a non-empty list: `[(@.length-1)]`,
    // the usual "last item", over one candidate's empty list, null or object threw "loc.indexOf is not a
    // function", and that failed every candidate and field of the answer. Such a value has no match, as an
    // element a filter cannot read has none (ignoreEvalErrors).
    if (error instanceof TypeError && SCRIPT_SEGMENT.test(path)) return seen;
    throw error;
  }
  if (skipped) return seen;
  return Array.isArray(found) ? found : [];
}

const SCRIPT_SEGMENT = /\[\s*\(/;

/**
 * The values a path that fans out (`$..x`, `$..[?(...)]`, `$.items[*].x`, `$.t[?(...)]`) walks in one answer or one candidate, at most. The match
 * callback above stops a path that matches; one that matches nothing (`$..nope`, a filter no value passes) walked
 * every value of a 2 MB answer, for each mapped field of each candidate (~0.07 CPU-s a field for `$..x`, ~0.4 with
 * a filter, on a 1 MB answer of small objects). Real answers (a search page of 40-100 books) hold a few thousand.
 * A filter is evaluated at every value it walks (~5 µs each): its walk is shorter.
 */
export const MAX_WALKED_VALUES = 20_000;
/** A path that may visit more than one value at a step; a false positive (a key holding `,` or `:`) only bounds a walk that was small. */
const FANS_OUT = /\.\.|[*?(:,]/;
export const MAX_FILTERED_VALUES = 5_000;
const walkableCopies = new Map<number, WeakMap<object, unknown>>();

/** `json` itself when it holds at most `max` values, else a copy of its first `max` in document order (made once per object). */
function walkable(json: unknown, max: number): unknown {
  if (json === null || typeof json !== "object") return json;
  let copies = walkableCopies.get(max);
  if (copies === undefined) walkableCopies.set(max, (copies = new WeakMap()));
  let copy = copies.get(json);
  if (copy === undefined) {
    copy = valueCountAbove(json, max) ? firstValues(json, { left: max }) : json;
    copies.set(json, copy);
  }
  return copy;
}

/** Whether `json` holds more than `max` values (objects, arrays and scalars), counted without recursion. */
function valueCountAbove(json: unknown, max: number): boolean {
  const stack: unknown[] = [json];
  let count = 0;
  while (stack.length > 0) {
    const value = stack.pop();
    if (++count > max) return true;
    if (value === null || typeof value !== "object") continue;
    // Every value on the stack is counted later: a wide array is known to be over before it is pushed
    // (pushing the million items of `[0,0,...]` first cost ~0.2 CPU-s).
    const inner = Array.isArray(value) ? value : Object.values(value);
    if (count + stack.length + inner.length > max) return true;
    for (const item of inner) stack.push(item);
  }
  return false;
}

/** The first `budget.left` values of `value` in document order, as plain JSON values (nesting depth is the parsed answer's, already bounded). */
function firstValues(value: unknown, budget: { left: number }): unknown {
  budget.left--;
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const item of value) {
      if (budget.left <= 0) break;
      items.push(firstValues(item, budget));
    }
    return items;
  }
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (budget.left <= 0) break;
    // A key "__proto__" from JSON.parse is an own key: defined, never assigned (which would set the prototype).
    Object.defineProperty(copy, key, { value: firstValues(inner, budget), enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

export function parseMappedAnswer(
  body: string,
  mapping: Partial<Record<MappableField, string>>,
  resultPath: string | undefined,
  label: string,
  /** The body with credentials masked, for quoting (see parseJsonBody). */
  shown = body,
): ParsedAnswer<MappedCandidate> {
  const json = parseJsonBody(body, label, shown);
  if (!json.ok) return json;
  // A bare text, number or true/false holds no candidate: it read as "no candidates", a search that found nothing.
  // (null stays no candidates: some services answer a missing record so.)
  if (json.data !== null && typeof json.data !== "object") {
    const start = shown.slice(0, 40).replace(/\s+/g, " ").trim();
    return { ok: false, error: `${label} answered a JSON ${typeof json.data === "boolean" ? "true/false" : typeof json.data} (starts with ${JSON.stringify(start)}), not an object or a list of candidates: check url_template (an API's search answers with an object or a list)` };
  }
  let items: unknown[];
  try {
    items = candidatesOf(json.data, resultPath);
  } catch (error) {
    if (error instanceof RangeError) return tooDeep(label);
    return { ok: false, error: `${label}: result_path ${JSON.stringify(resultPath)} cannot be read: ${(error as Error).message}` };
  }
  if (resultPath !== undefined && items === NOT_FOUND) {
    // Google Books answers {"kind": "books#volumes", "totalItems": 0}, with no list at all, when nothing
    // matched: that is no candidates. A list somewhere else means result_path points at the wrong place.
    const noList = !holdsList(json.data, 3);
    const said = errorInstead(json.data, shown, noList);
    if (said !== null) return { ok: false, error: `${label} answered with an error instead of results${said}` };
    if (noList) return { ok: true, candidates: [] };
    const hint = nearestPath(json.data, resultPath);
    return { ok: false, error: `${label} response has an unexpected shape: result_path ${resultPath} found nothing${hint === null ? "" : ` (did you mean ${hint}? the answer has that)`}` };
  }
  const candidates: MappedCandidate[] = [];
  for (const item of items.slice(0, MAX_CANDIDATES)) {
    if (item === null || typeof item !== "object") continue;
    try {
      candidates.push(mapCandidate(item, mapping));
    } catch (error) {
      if (error instanceof RangeError) return tooDeep(label);
      return { ok: false, error: `${label}: response_mapping cannot be read: ${(error as Error).message}` };
    }
  }
  // Without a result_path the whole answer is the candidate: an error object read so gave no values, only "no title".
  if (resultPath === undefined && candidates.length === 1 && Object.keys(candidates[0]!.values).length === 0) {
    const said = errorInstead(json.data, shown, true);
    if (said !== null) return { ok: false, error: `${label} answered with an error instead of results${said}` };
  }
  // An empty list beside an error ({"results": [], "error": "quota exceeded"}) is the error, not a search that found
  // nothing; a bare message beside it is not (it is often "No results").
  if (candidates.length === 0 && items.length === 0) {
    const said = errorInstead(json.data, shown, false);
    if (said !== null) return { ok: false, error: `${label} answered with an error instead of results${said}` };
  }
  return { ok: true, candidates };
}

/**
 * Whether an answer that gave no candidates is an error sent with 200: its words as `: it said "…"` (or "" when it
 * says none), else null. It read as "no candidates" or "no title", and a rejected key looked like a catalogue
 * without the book. Keys are read without case (OMDb's "Error", AWS's "Message"). Said so by:
 * - a key that only an error has, not empty: `error`, `errors` (GraphQL, JSON:API), `fault` (SOAP, Apigee),
 *   `error_description` (OAuth), `error_message`/`errorMessage`;
 * - a flag: `success: false`, `ok: false` (Slack), `status`/`stat` "error", "fail"...;
 * - and, where the answer holds no list of results at all (`loose`), an answer that is only a message
 *   (`{"message": "Invalid API key"}`, with a code or a link beside it: GitHub's, AWS's), unless its words say
 *   nothing was found ("No results", "Book not found"), which is no candidates, as before.
 */
function errorInstead(data: unknown, shown: string, loose: boolean): string | null {
  if (data === null || typeof data !== "object" || Array.isArray(data)) return null;
  const record = new Map<string, unknown>();
  for (const [key, value] of Object.entries(data)) if (!record.has(key.toLowerCase())) record.set(key.toLowerCase(), value);
  const flagged = (key: string): boolean => {
    const value = record.get(key);
    if (value === true) return true;
    if (typeof value === "string") return value.trim() !== "";
    if (Array.isArray(value)) return value.length > 0;
    return value !== null && typeof value === "object" && Object.keys(value).length > 0;
  };
  const said = (): string => {
    const words = serviceWords(shown);
    return words === null ? "" : `: it said ${JSON.stringify(words)}`;
  };
  const status = ["status", "stat", "result"].map((key) => record.get(key)).find((value): value is string => typeof value === "string")?.toLowerCase() ?? "";
  if (ERROR_KEYS.some(flagged) || record.get("success") === false || record.get("ok") === false || ERROR_STATUSES.has(status)) return said();
  if (!loose || ![...record.keys()].some((key) => MESSAGE_ONLY.has(key)) || ![...record.keys()].every((key) => MESSAGE_ONLY.has(key) || BESIDE_MESSAGE.has(key))) return null;
  const words = serviceWords(shown);
  if (words === null || NOTHING_FOUND.test(words)) return null;
  return `: it said ${JSON.stringify(words)}`;
}

const ERROR_KEYS = ["error", "errors", "fault", "error_description", "error_message", "errormessage"];
const ERROR_STATUSES: ReadonlySet<string> = new Set(["error", "fail", "failed", "failure", "fault", "denied", "unauthorized", "forbidden"]);
/** The keys a bare message answer says its words under. */
const MESSAGE_ONLY: ReadonlySet<string> = new Set(["message", "msg", "detail", "status_message"]);
/** What stands beside them in such an answer: a code, a status, a link to the docs, a request's id, a time. */
const BESIDE_MESSAGE: ReadonlySet<string> = new Set(["code", "status", "status_code", "statuscode", "error_code", "errorcode", "type", "documentation_url", "doc_url", "request_id", "requestid", "timestamp", "path", "title"]);
/** A message that says the search found nothing (a key, a token, a user not found is an error). */
const NOTHING_FOUND = /\b(?:no|zero|0)\s+(?:results?|matches|books?|items?|records?|hits|documents?|titles?)\b|\bnothing\s+(?:was\s+)?found\b|^(?!.*\b(?:key|token|credential|auth\w*|user|account|permission|endpoint|route|path|url)\b).*\bnot\s+found\b/i;

const NOT_FOUND: unknown[] = [];

/** Whether the answer holds an array within `depth` levels (an empty one counts). */
function holdsList(value: unknown, depth: number): boolean {
  if (Array.isArray(value)) return true;
  if (depth === 0 || value === null || typeof value !== "object") return false;
  return Object.values(value).some((inner) => holdsList(inner, depth - 1));
}

/** A stack overflow while walking the answer: the response's fault (hostile nesting), not the mapping's. */
function tooDeep(label: string): ParsedAnswer<MappedCandidate> {
  return { ok: false, error: `${label} response is nested too deeply to read` };
}

function candidatesOf(data: unknown, resultPath: string | undefined): unknown[] {
  if (resultPath === undefined) return Array.isArray(data) ? data : [data];
  // One more than the candidates kept: 1 match may be the list itself (below), more are the items.
  const found = evaluatePath(resultPath, data, MAX_CANDIDATES + 1);
  if (found.length === 0) return NOT_FOUND;
  // "$.matches" finds one list; "$.matches[*]" or "$..book" find the items themselves. A candidate is an object:
  // lists among the matches give their items, so results split in pages or groups (`$.pages[*].items`, a list of
  // lists) are read as one list, not as lists with no title (MAX_CANDIDATES kept).
  const items: unknown[] = [];
  for (const match of found.length === 1 && Array.isArray(found[0]) ? found[0] : found) {
    if (items.length > MAX_CANDIDATES) break;
    if (Array.isArray(match)) items.push(...match.slice(0, MAX_CANDIDATES + 1 - items.length));
    else items.push(match);
  }
  return items;
}

function mapCandidate(item: object, mapping: Partial<Record<MappableField, string>>): MappedCandidate {
  const values: MappedCandidate["values"] = {};
  const several: MappedCandidate["several"] = {};
  const refused: NonNullable<MappedCandidate["refused"]> = {};
  const sent: NonNullable<MappedCandidate["sent"]> = {};
  const nearer: NonNullable<MappedCandidate["nearer"]> = {};
  let authors: string[] = [];
  for (const [field, path] of Object.entries(mapping) as [MappableField, string][]) {
    // A field reads its first values only (scalars(), a description's first text): the walk stops there too.
    const found = evaluatePath(path, item, MAX_LIST_ITEMS);
    const value = coerce(field, found);
    if (value === null) {
      if (found.length === 0) {
        const hint = nearestPath(item, path);
        if (hint !== null) nearer[field] = hint;
      }
      const number = NAME_FIELDS.has(field) ? scalars(found, true).find((text) => /^-?\d/.test(text)) : undefined;
      if (number !== undefined) refused[field] = { value: number, reason: `the answer holds the number ${number} there, not a name (an id or a count?): map ${field} to the name's text` };
      const inexact = number === undefined ? inexactNumber(found) : undefined;
      if (inexact !== undefined) refused[field] = { value: String(inexact), reason: `the answer holds a number too large to be read exactly there (more than 15 digits: JSON numbers past that lose digits, so this is not what was sent): map ${field} to a text the answer holds, such as an ISBN as a string` };
      continue;
    }
    values[field] = value;
    const asSent = typeof value === "string" ? firstText(found) : null;
    if (asSent !== null && asSent !== value) {
      sent[field] = { text: asSent.length > MAX_SENT_CHARS ? asSent.slice(0, MAX_SENT_CHARS).replace(/[\uD800-\uDBFF]$/, "") : asSent, length: asSent.length };
    }
    if (!MANY_VALUED.has(field)) {
      const read = readerOf(field);
      const distinct = [...new Set(scalars(found, !NAME_FIELDS.has(field)).flatMap((text) => read(text) ?? []))];
      if (distinct.length > 1) several[field] = distinct;
    }
    // Matched against one by one: "A & B" as a whole is nobody's name.
    if (field === "author") authors = scalars(found, false).flatMap((name) => capText(name) ?? []);
  }
  const title = typeof values.title === "string" ? values.title : null;
  return {
    title,
    authors,
    values,
    ...(Object.keys(several).length > 0 ? { several } : {}),
    ...(Object.keys(refused).length > 0 ? { refused } : {}),
    ...(Object.keys(sent).length > 0 ? { sent } : {}),
    ...(Object.keys(nearer).length > 0 ? { nearer } : {}),
  };
}

/** The first text of the matches as the answer has it (a number as written), before any cleaning. */
function firstText(found: unknown[]): string | null {
  for (const value of found.slice(0, MAX_LIST_ITEMS)) {
    for (const one of Array.isArray(value) ? value.slice(0, MAX_LIST_ITEMS) : [value]) {
      if (typeof one === "string") return one;
      if (typeof one === "number" && Number.isFinite(one) && readExactly(one)) return String(one);
      if (one !== null && typeof one === "object" && !Array.isArray(one)) {
        const text = textOfObject(one as Record<string, unknown>);
        if (text !== null) return text;
      }
    }
  }
  return null;
}

/**
 * Whether a JSON number is the one the service sent: past 2^53 a double keeps about 16 digits, so an ISBN or id sent
 * as a number of 17 or more digits (9780441172719123456789) was read as 9.780441172719123e+21, a value it never sent.
 */
function readExactly(value: number): boolean {
  return Math.abs(value) <= Number.MAX_SAFE_INTEGER;
}

/** The first number of the matches too large to be read exactly (readExactly), or undefined. */
function inexactNumber(found: unknown[]): number | undefined {
  for (const value of found.slice(0, MAX_LIST_ITEMS)) {
    for (const one of Array.isArray(value) ? value.slice(0, MAX_LIST_ITEMS) : [value]) {
      if (typeof one === "number" && Number.isFinite(one) && !readExactly(one)) return one;
    }
  }
  return undefined;
}

const NEGATIVE_NUMBER = /^\s*[-\u2212]\s*\d/;

/** How a single-value field's text is read (the first text read is the value taken). */
function readerOf(field: MappableField): (text: string) => string | null {
  switch (field) {
    case "year":
      // A negative number is no publication year (BCE, or an API's -1 for "unknown"): -1965 was read as 1965.
      return (text) => (NEGATIVE_NUMBER.test(text) ? null : parseYear(text));
    case "series_num":
      return normalizeSeriesNum;
    case "language":
      return (text) => {
        const cleaned = capText(text, 40);
        return cleaned === null ? null : normalizeLanguage(cleaned);
      };
    case "duration":
      return (text) => (/^\d+(?:\.\d+)?$/.test(text.trim()) ? String(Math.round(Number(text))) : null);
    default:
      return (text) => capText(text);
  }
}

/** The words for a field whose path matched several values: `sources test` shows them, the evidence keeps them. */
export function severalValuesNote(values: readonly string[]): string {
  const shown = values.slice(0, 5).map((v) => (v.length > 60 ? `${v.slice(0, 59)}…` : v));
  return `the source's JSONPath matched ${values.length} different values (${shown.join(", ")}${values.length > 5 ? ", …" : ""}); the first was taken`;
}

/**
 * Scalars of the matches, lists inside read to NESTED_LISTS levels, objects' `name` or `value` taken (a text, or a list of them). `numbers`
 * false: a JSON number is left out (a name field's: `"author": 42` is no name).
 */
function scalars(found: unknown[], numbers = true): string[] {
  const out: string[] = [];
  // Lists inside lists (`authors: [[{name}]]`, `[{name: ["A", "B"]}]`) are read to NESTED_LISTS levels: real
  // answers group names so (by role, by edition) and gave no author at all. MAX_LIST_ITEMS values at most.
  const take = (value: unknown, depth: number) => {
    if (out.length >= MAX_LIST_ITEMS) return;
    // U+FFFD stands for bytes that could not be read (a body not in the charset it claims): such a
    // value has lost letters ("Les Mis\uFFFDrables") and is not taken; the field's next value may be.
    if (typeof value === "string") {
      if (!value.includes(REPLACEMENT_CHARACTER)) out.push(stripHtml(value));
    }
    else if (typeof value === "number" && Number.isFinite(value)) {
      if (numbers && readExactly(value)) out.push(String(value));
    }
    else if (Array.isArray(value)) {
      if (depth < NESTED_LISTS) for (const item of value.slice(0, MAX_LIST_ITEMS)) take(item, depth + 1);
    }
    else if (value !== null && typeof value === "object") {
      const inner = innerOfObject(value as Record<string, unknown>);
      if (Array.isArray(inner)) take(inner, depth);
      else if (typeof inner === "string" && !inner.includes(REPLACEMENT_CHARACTER)) out.push(stripHtml(inner));
    }
  };
  for (const value of found.slice(0, MAX_LIST_ITEMS)) take(value, 0);
  return out;
}

/** How deep lists inside the matches are read for their texts. */
const NESTED_LISTS = 3;

/** An object's own `name` or `value` when it is a text or a list (of names); else null. */
function innerOfObject(value: Record<string, unknown>): string | unknown[] | null {
  for (const key of ["name", "value"]) {
    const inner = Object.hasOwn(value, key) ? value[key] : undefined;
    if (typeof inner === "string" || Array.isArray(inner)) return inner;
  }
  return null;
}

/**
 * The text an object stands for: its own `name` (authors: [{name}]), else its
 * own `value` (Open Library's typed values: {"type": "/type/text", "value": …}).
 */
function textOfObject(value: Record<string, unknown>): string | null {
  for (const key of ["name", "value"]) {
    const text = Object.hasOwn(value, key) ? value[key] : undefined;
    if (typeof text === "string") return text;
  }
  return null;
}

function coerce(field: MappableField, found: unknown[]): string | string[] | null {
  if (field === "description") {
    for (const value of found) {
      const text = typeof value === "string" ? value : value !== null && typeof value === "object" ? (Array.isArray(value) ? paragraphsOf(value) : textOfObject(value as Record<string, unknown>)) : null;
      if (text !== null) return cleanDescription(stripHtml(text));
    }
    return null;
  }
  const texts = scalars(found, !NAME_FIELDS.has(field));
  if (texts.length === 0) return null;
  switch (field) {
    case "author":
    case "narrator":
      return joinNames(texts);
    case "authors": {
      // The profile's list field: every person once, "First Last", "; " between (it was the first name alone).
      const names = texts.flatMap((text) => {
        const cleaned = capText(text);
        return cleaned === null ? [] : (splitAuthors(cleaned) ?? [cleaned]);
      });
      return names.length > 0 ? [...new Set(names)].join(AUTHORS_SEPARATOR) : null;
    }
    case "genres":
    case "tags": {
      const list = texts.map((text) => capText(text)).filter((text): text is string => text !== null);
      return list.length > 0 ? [...new Set(list)] : null;
    }
    default:
      return firstNonNull(texts, readerOf(field));
  }
}

/**
 * A description sent as a list of paragraphs (`"description": ["First.", "Second."]`), as some catalogues do:
 * its texts as paragraphs. It gave no description at all, a list being neither a text nor an object.
 */
function paragraphsOf(list: unknown[]): string | null {
  const texts = list.slice(0, MAX_LIST_ITEMS).filter((item): item is string => typeof item === "string" && item.trim() !== "");
  return texts.length > 0 ? texts.join("\n\n") : null;
}

function firstNonNull(texts: string[], read: (text: string) => string | null): string | null {
  for (const text of texts) {
    const value = read(text);
    if (value !== null) return value;
  }
  return null;
}

/** The claims a chosen candidate makes: the book fields only (details are shown, not claimed). */
export function claimsOf(candidate: MappedCandidate): Claim[] {
  const claims: Claim[] = [];
  let series: string | null = null;
  let seriesNum: string | null = null;
  const noted = (field: MappableField, claim: Claim): Claim => {
    const several = candidate.several?.[field];
    return several === undefined ? claim : { ...claim, basis: severalValuesNote(several) };
  };
  for (const [field, value] of Object.entries(candidate.values)) {
    if (!isFieldName(field) || typeof value !== "string") continue;
    if (field === "series") series = value;
    else if (field === "series_num") seriesNum = value;
    else claims.push(noted(field as MappableField, { field: field as FieldName, value }));
  }
  let numFrom: MappableField = "series_num";
  if (series !== null) {
    // "Mistborn #1" in a series field carries its position when none is mapped.
    const split = seriesNum === null ? splitSeries(series) : null;
    claims.push(noted("series", { field: "series", value: split?.series ?? series }));
    if (seriesNum === null && split?.num) numFrom = "series";
    seriesNum ??= split?.num ?? null;
  }
  if (seriesNum !== null) claims.push(noted(numFrom, { field: "series_num", value: seriesNum }));
  return claims;
}
