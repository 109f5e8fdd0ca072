/**
 * Audiobookshelf's older `metadata.abs` (";ABMETADATA1" and ";ABMETADATA2"):
 * `key=value` lines, a `[DESCRIPTION]` block and `[CHAPTER]` blocks. Version 1
 * wrote `author`, `narrator`, `series`, `volumeNumber`, `publishYear`; version 2
 * `authors`, `narrators` and `series` as comma-separated lists ("Name #2"),
 * `publishedYear`/`publishedDate` and `abridged=Y`. Libraries that an older
 * Audiobookshelf managed still carry these files.
 */
import type { Claim } from "../domain/fields.js";
import { splitAuthors } from "../domain/person-name.js";
import { cleanDescription, cleanText, joinNames, narratorClaim, normalizeSeriesNum, parseYear, splitSeries } from "./claim-values.js";
import type { SidecarResult } from "./sidecar-opf.js";

const HEADER = /^\uFEFF?;ABMETADATA\d*\s*$/;
const SECTION = /^\[([A-Za-z]+)\]\s*$/;
const PAIR = /^([A-Za-z_]+)=(.*)$/;
const LINE = /\r?\n/;
const COMMA = /\s*,\s*/;

/** Throws an Error with a short reason when the text is not an Audiobookshelf metadata file. */
export function parseAbsText(text: string): SidecarResult {
  const lines = text.split(LINE);
  if (!HEADER.test(lines[0] ?? "")) throw new Error('not an Audiobookshelf metadata file (no ";ABMETADATA" first line)');
  const values = new Map<string, string>();
  const description: string[] = [];
  let section = "";
  for (const line of lines.slice(1)) {
    const header = SECTION.exec(line);
    if (header) {
      section = header[1].toUpperCase();
      continue;
    }
    if (section === "DESCRIPTION") {
      description.push(line);
      continue;
    }
    if (section !== "" || line.startsWith("#")) continue;
    const pair = PAIR.exec(line);
    if (pair && !values.has(pair[1].toLowerCase())) values.set(pair[1].toLowerCase(), pair[2]);
  }
  const get = (key: string): string | null => {
    const value = cleanText(values.get(key));
    return value === null || value === "null" ? null : value;
  };
  const claims: Claim[] = [];
  const add = (field: Claim["field"], value: string | null) => {
    if (value) claims.push({ field, value });
  };
  add("title", get("title"));
  add("subtitle", get("subtitle"));
  const author = people(get("authors") ?? get("author"));
  add("author", author);
  add("narrator", narratorClaim([get("narrators") ?? get("narrator")], author));
  const series = get("series");
  const first = series !== null ? splitSeries(series.split(COMMA)[0]) : null;
  add("series", first?.series ?? null);
  add("series_num", first?.num ?? normalizeSeriesNum(get("volumenumber")));
  add("year", parseYear(get("publishedyear") ?? get("publishyear") ?? get("publisheddate")));
  add("language", get("language"));
  if (get("abridged")?.toLowerCase() === "y" || get("abridged")?.toLowerCase() === "true") add("edition", "Abridged");
  return { claims, description: cleanDescription(description.join("\n")) ?? cleanDescription(values.get("description")) };
}

/** "Author One, Author Two" (first-last names joined by commas); a "Last, First" single name stays one person. */
function people(value: string | null): string | null {
  if (value === null) return null;
  const list = splitAuthors(value);
  return joinNames(list ?? [value]);
}
