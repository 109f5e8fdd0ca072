/**
 * Release notes (`.nfo`) and cue sheets (`.cue`) beside a book's audio.
 *
 * An audiobook release's `.nfo` (inAudible's and AAXtoMP3's template, which most shared releases copy) is a list of
 * "Key: Value" lines under section headings: `Title:`, `Author:`, `Read By:`, `Copyright:`, `Series Name:`,
 * `Position in Series:`, then a `Book Description` section. Scene art frames lines with `║`, `|` or `*`, and pads
 * keys with dots (`Title.......: Dune`); both are read through. Only known keys are read, so the art, the
 * encoder's settings and the release group's greetings name nothing.
 *
 * A cue sheet's lines before its first TRACK describe the whole recording: TITLE is the book, PERFORMER its writer
 * (as a tag's artist is), SONGWRITER the reader unless it names the writer (as a tag's composer is), REM DATE its year.
 */
import type { Claim } from "../domain/fields.js";
import { cleanDescription, cleanText, narratorClaim, normalizeSeriesNum, parseYear, splitSeries } from "./claim-values.js";
import type { SidecarResult } from "./sidecar-opf.js";

type NfoField = "title" | "author" | "narrator" | "series" | "series_num" | "year" | "copyright" | "language" | "subtitle";

/** Keys as release notes write them (lower case, single spaces), English and German. */
const NFO_KEYS: ReadonlyMap<string, NfoField> = new Map([
  ...["title", "book title", "book name", "titel", "titre", "album"].map((k) => [k, "title"] as const),
  ...["subtitle", "sub title", "untertitel"].map((k) => [k, "subtitle"] as const),
  ...["author", "authors", "author(s)", "written by", "writer", "autor", "autorin", "auteur"].map((k) => [k, "author"] as const),
  ...["read by", "narrator", "narrators", "narrated by", "reader", "performed by", "sprecher", "sprecherin", "gelesen von", "lu par"].map((k) => [k, "narrator"] as const),
  ...["series", "series name", "serie", "reihe"].map((k) => [k, "series"] as const),
  // "Book: 3" under "Series: The Expanse" (OpenAudible's and hand-written info files; "Book: Dune" is the title).
  ...["position in series", "series position", "series number", "book number", "series #", "band", "volume", "book", "book #", "series part", "series index", "number in series", "volume number", "part of series"].map((k) => [k, "series_num"] as const),
  ...["year", "release year", "released", "release date", "published", "publication date", "date", "jahr", "erscheinungsjahr"].map((k) => [k, "year"] as const),
  ...["copyright", "original copyright", "audiobook copyright"].map((k) => [k, "copyright"] as const),
  ...["language", "sprache", "langue"].map((k) => [k, "language"] as const),
]);

/** "║ Title.......: Dune ║", "| Read By : Scott Brick |", "* Author = Frank Herbert": the frame, the key, dots, a colon or "=". */
const NFO_LINE = /^[\s|║│┃*•·#>~+\-]*([A-Za-zÀ-ÿ][A-Za-zÀ-ÿ ()#]{0,30}?)\s*(?:\.{2,}\s*)?[:=]\s*(.*?)[\s|║│┃*]*$/u;
/** "Book Description", "Description", "Summary", "Beschreibung", "Publisher's Summary": a heading the description follows. */
const DESCRIPTION_HEADING = /^[\s|║│┃*•#=\-~]*(?:book\s+description|description|summary|publisher['’]?s\s+summary|plot|synopsis|beschreibung|inhalt|klappentext)\s*:?[\s|║│┃*=\-~]*$/iu;
/** "===", "---", "General Information", "Media Information": what ends a description when another section starts. */
const RULE = /^[\s=\-~_*#]{3,}$/u;
const SECTION_HEADING = /^\s*(?:general|media|file|original\s+media|release|encod\w*|technical|audio)\s+information\s*$|^\s*(?:notes?|greetings?|group\s+info)\s*:?\s*$/iu;
const NOT_GIVEN = /^(?:n\/?a|none|unknown|-+|\?+|tba|tbd)$/iu;

export function parseNfo(text: string): SidecarResult {
  const found = new Map<NfoField, string>();
  const lines = text.split(/\r\n?|\n/);
  let description: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (DESCRIPTION_HEADING.test(line)) {
      description ??= descriptionAfter(lines, i + 1);
      continue;
    }
    const m = NFO_LINE.exec(line);
    if (m === null) continue;
    const key = m[1].trim().toLowerCase().replace(/\s+/g, " ");
    const value = cleanText(m[2]);
    // "Book: Dune" names the book, "Book: 3" its place in the series.
    const field = key === "book" && value !== null && normalizeSeriesNum(value) === null ? "title" : NFO_KEYS.get(key);
    if (field === undefined || value === null || NOT_GIVEN.test(value) || found.has(field)) continue;
    if (field === "series_num" && normalizeSeriesNum(value) === null) continue;
    found.set(field, value);
  }
  const claims: Claim[] = [];
  const add = (field: Claim["field"], value: string | null | undefined) => {
    if (value) claims.push({ field, value });
  };
  const series = found.has("series") ? splitSeries(found.get("series")) : null;
  const title = found.has("title") ? withoutRelease(found.get("title")!) : null;
  add("title", title !== null && series ? (afterSeriesName(title, series.series) ?? title) : title);
  add("subtitle", found.get("subtitle"));
  const author = found.get("author") ?? null;
  add("author", author);
  add("narrator", found.has("narrator") ? narratorClaim([found.get("narrator")], author) : null);
  add("series", series?.series);
  add("series_num", normalizeSeriesNum(found.get("series_num")) ?? series?.num);
  add("year", parseYear(found.get("year")) ?? parseYear(found.get("copyright")));
  add("language", found.get("language"));
  return { claims, description };
}

/** The lines after a description heading, up to the next section or rule (a rule right under the heading is skipped). */
function descriptionAfter(lines: readonly string[], from: number): string | null {
  let start = from;
  while (start < lines.length && (RULE.test(lines[start]) || lines[start].trim() === "")) start++;
  const body: string[] = [];
  for (let i = start; i < lines.length; i++) {
    if (RULE.test(lines[i]) || SECTION_HEADING.test(lines[i])) break;
    body.push(lines[i].replace(/^[\s|║│┃]+|[\s|║│┃]+$/gu, ""));
  }
  return cleanDescription(body.join("\n"));
}

const AFTER_SERIES_NAME = /^\s*(?:,?\s*(?:book|bk\.?|vol\.?|volume|#)?\s*\d{1,3}(?:\.\d{1,2})?)?\s*[-–—:]\s+(?=\S)/iu;

/** "The Expanse 01 - Leviathan Wakes", "Mistborn: The Final Empire" with the series named: the book's own title. */
function afterSeriesName(title: string, series: string): string | null {
  if (title.length <= series.length || title.slice(0, series.length).toLowerCase() !== series.toLowerCase()) return null;
  const m = AFTER_SERIES_NAME.exec(title.slice(series.length));
  return m === null ? null : cleanText(title.slice(series.length + m[0].length));
}

/** "Dune (Unabridged)", "Dune [Unabridged]": the release's words are no part of the book's title. */
const RELEASE_SUFFIX = /\s*[([]\s*(?:unabridged|ungek(?:ü|ue|u)rzt)\s*[)\]]\s*$/iu;

function withoutRelease(title: string): string | null {
  return cleanText(title.replace(RELEASE_SUFFIX, ""));
}

const CUE_COMMAND = /^\s*(REM\s+)?([A-Z]+)\s+(?:"([^"]*)"|(.*?))\s*$/iu;

export function parseCue(text: string): SidecarResult {
  const top = new Map<string, string>();
  for (const line of text.split(/\r\n?|\n/)) {
    const m = CUE_COMMAND.exec(line);
    if (m === null) continue;
    const command = `${m[1] !== undefined ? "REM " : ""}${m[2].toUpperCase()}`;
    // The whole recording is described before its first track; each track's TITLE names a chapter.
    if (command === "TRACK" || command === "FILE") {
      if (command === "TRACK") break;
      continue;
    }
    const value = cleanText(m[3] ?? m[4]);
    if (value !== null && !top.has(command)) top.set(command, value);
  }
  const claims: Claim[] = [];
  const add = (field: Claim["field"], value: string | null | undefined) => {
    if (value) claims.push({ field, value });
  };
  add("title", top.has("TITLE") ? withoutRelease(top.get("TITLE")!) : null);
  const author = top.get("PERFORMER") ?? null;
  add("author", author);
  const songwriter = top.get("SONGWRITER");
  if (songwriter !== undefined && (author === null || songwriter.toLowerCase() !== author.toLowerCase())) {
    add("narrator", narratorClaim([songwriter], author));
  }
  add("year", parseYear(top.get("REM DATE")));
  return { claims, description: null };
}
