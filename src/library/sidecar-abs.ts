/**
 * Audiobookshelf `metadata.json`: title, authors[], narrators[], series[]
 * (strings like "Mistborn #1" or objects {name|title, sequence}), publishedYear
 * or publishedDate, language, description. Older exports used singular
 * `author`/`narrator` strings; both shapes are read, at the top level or under `metadata` (2.0 to 2.2) or
 * `media.metadata` (the API's item).
 *
 * A `book.json` is read by the same rules: downloaders and scripts dump the store's record as it came (Audible's
 * `release_date`, `series: [{title, sequence}]`; Audnexus's `releaseDate`, `seriesPrimary: {name, position}`; a flat
 * `series_name` and `series_index`), so keys are matched without case, `_` or `-` ("release_date" is "releaseDate").
 */
import type { Claim } from "../domain/fields.js";
import { cleanDescription, cleanText, joinNames, narratorClaim, normalizeSeriesNum, parseYear, splitSeries } from "./claim-values.js";
import type { SidecarResult } from "./sidecar-opf.js";

export interface AbsResult extends SidecarResult {
  /** Fields present with a shape we cannot use (e.g. `authors: 42`). */
  ignored: string[];
}

/** Throws an Error with a short reason when the text is not a JSON object. */
export function parseAbsMetadata(text: string): AbsResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`invalid JSON (${(error as Error).message})`);
  }
  if (!data || typeof data !== "object" || Array.isArray(data)) throw new Error("expected a JSON object at the top level");
  const doc = bookFields(data as Record<string, unknown>);
  const ignored: string[] = [];
  const list = (plural: string, singular: string) => {
    const found = peopleList(doc[plural] ?? doc[singular]);
    if (found === null) ignored.push(doc[plural] !== undefined ? plural : singular);
    return found;
  };

  const claims: Claim[] = [];
  const add = (field: Claim["field"], value: string | null) => {
    if (value) claims.push({ field, value });
  };
  /** A text field: a string (or number), or a list whose first entry is one ("title": ["Dune"]); otherwise ignored, said. */
  const textField = (field: string): string | null => {
    const value = Array.isArray(doc[field]) ? (doc[field] as unknown[])[0] : doc[field];
    const cleaned = cleanText(value);
    if (cleaned === null && value !== undefined && value !== null && value !== "") ignored.push(field);
    return cleaned;
  };
  add("title", textField("title"));
  add("subtitle", textField("subtitle"));
  const authors = list("authors", "author");
  const author = authors ? joinNames(authors) : null;
  add("author", author);
  add("narrator", narratorClaim(list("narrators", "narrator") ?? [], author));
  const named = firstSeries(doc.series ?? doc.seriesprimary ?? flatSeries(doc));
  // "series": "Dune Chronicles" beside "volumeNumber": "1" (older exports, hand-made files): the place apart.
  const series = named?.num === null ? { series: named.series, num: normalizeSeriesNum(seriesPlace(doc)) } : named;
  if (series === undefined) ignored.push("series");
  add("series", series?.series ?? null);
  add("series_num", series?.num ?? null);
  add("year", YEAR_KEYS.map((key) => parseYear(doc[key])).find((year) => year !== null) ?? null);
  add("language", textField("language"));
  // Audiobookshelf writes "abridged": true|false; only a shortened reading is worth an edition.
  if (doc.abridged === true) add("edition", "Abridged");
  return { claims, description: cleanDescription(doc.description ?? doc.summary), ignored };
}

/**
 * The object holding the book's fields: the top level, or, when it names no title, what it wraps. Audiobookshelf
 * 2.0 to 2.2 wrote `{"tags", "chapters", "metadata": {title, authors, ...}}`; its API's library item, saved as
 * book.json by scripts, holds them in `media.metadata`. Two levels at most: deeper is no record of a book.
 */
function bookFields(data: Record<string, unknown>): Record<string, unknown> {
  let doc = byLooseKey(data);
  for (let depth = 0; depth < 2 && doc.title === undefined; depth++) {
    const inner = [doc.metadata, doc.media, doc.book].find(isRecord);
    if (inner === undefined) break;
    doc = byLooseKey(inner);
  }
  return doc;
}

/** Audiobookshelf's own keys first, then the stores' and scripts' ("release_date", "year"), each written loosely. */
const YEAR_KEYS = ["publishedyear", "publisheddate", "releasedate", "originalyear", "year", "date", "published", "issuedate"];

/**
 * The document's keys lower-cased without "_", "-" or spaces ("publishedYear", "published_year" are "publishedyear"),
 * the first of each kept: a null-prototype object, so a key "__proto__" is a key like any other.
 */
function byLooseKey(doc: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [key, value] of Object.entries(doc)) {
    const lower = key.toLowerCase();
    const loose = SEPARATOR.test(lower) ? lower.replace(SEPARATORS, "") : lower;
    if (!(loose in out)) out[loose] = value;
  }
  return out;
}

const SEPARATOR = /[_\-\s]/;
const SEPARATORS = /[_\-\s]/g;

/** A flat series name and its place ("series_name": "Mistborn", "series_index": 1); undefined when none is named. */
function flatSeries(doc: Record<string, unknown>): { name: unknown; sequence: unknown } | undefined {
  const name = doc.seriesname ?? doc.seriestitle;
  if (name === undefined || name === null) return undefined;
  return { name, sequence: seriesPlace(doc) };
}

/** A series' place written apart from its name, under the keys records use. */
function seriesPlace(doc: Record<string, unknown>): unknown {
  return doc.seriessequence ?? doc.seriesindex ?? doc.seriesposition ?? doc.seriesnumber ?? doc.seriespart ?? doc.bookinseries ?? doc.volumenumber ?? doc.volume;
}

/** Names from ["A", "B"], "A", or [{name: "A"}]; [] when absent, null when unusable. */
function peopleList(value: unknown): string[] | null {
  if (value === undefined || value === null) return [];
  if (typeof value === "string") return [value];
  if (!Array.isArray(value)) return null;
  return value.map((v) => (typeof v === "string" ? v : isRecord(v) && typeof v.name === "string" ? v.name : "")).filter(Boolean);
}

/** The first series entry; null when absent, undefined when present but unusable. */
function firstSeries(value: unknown): { series: string; num: string | null } | null | undefined {
  if (value === undefined || value === null) return null;
  const entry = Array.isArray(value) ? value[0] : value;
  if (entry === undefined) return null;
  if (typeof entry === "string") return splitSeries(entry);
  if (!isRecord(entry)) return undefined;
  const name = cleanText(entry.name ?? entry.title);
  if (!name) return undefined;
  const num = normalizeSeriesNum(entry.sequence ?? entry.number ?? entry.position);
  return { series: name, num };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
