/**
 * Audiobookshelf `metadata.json`: title, authors[], narrators[], series[]
 * (strings like "Mistborn #1" or objects {name|title, sequence}), publishedYear
 * or publishedDate, language, description. Older exports used singular
 * `author`/`narrator` strings; both shapes are read.
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
  const doc = data as Record<string, unknown>;
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
  const series = firstSeries(doc.series);
  if (series === undefined) ignored.push("series");
  add("series", series?.series ?? null);
  add("series_num", series?.num ?? null);
  add("year", parseYear(doc.publishedYear) ?? parseYear(doc.publishedDate));
  add("language", textField("language"));
  // Audiobookshelf writes "abridged": true|false; only a shortened reading is worth an edition.
  if (doc.abridged === true) add("edition", "Abridged");
  return { claims, description: cleanDescription(doc.description), ignored };
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
