/**
 * Cleaning shared by the tag and sidecar readers, so both sources phrase the
 * same fact the same way (two spellings of one value would split its evidence).
 */
import { capLength, cleanString } from "../domain/clean-text.js";
import { FOREIGN_POSITION_WORDS, parseSeriesNum } from "../domain/series-num.js";
import { findYear } from "../domain/year.js";
import { foldCjkName, hasCjk, readCjkVolumes } from "../domain/cjk-names.js";
import { narratorIn, WRITER_READS } from "../domain/reader-phrase.js";
import { splitAuthors } from "../domain/person-name.js";
import { readNameTags } from "../domain/name-tags.js";
import { repairLatin1Text } from "./eight-bit-text.js";
import type { Claim } from "../domain/fields.js";
import { bareSeriesPosition, sameSeriesName, seriesInTitle, seriesLeadInTitle } from "../domain/subtitle.js";

/**
 * Longest value a tag or sidecar may claim. Longer text is refused, not cut: a "title" or "name" of thousands of
 * characters (a blurb pasted into the album, a 1 MB filler a hostile file carries) is none, and its first 300
 * characters were claimed as if they were.
 */
export const MAX_CLAIM_LENGTH = 300;

/**
 * Trim, drop control characters, collapse whitespace; null when nothing is left or the text is longer than `max`
 * (see MAX_CLAIM_LENGTH). UTF-8 that an earlier tool read as Windows-1252 or Latin-1 and saved again ("Enderâ€™s
 * Game" in an OPF or a tag) is repaired first, before its C1 characters would be dropped as controls.
 */
export function cleanText(value: unknown, max = MAX_CLAIM_LENGTH): string | null {
  if (typeof value === "number" && Number.isFinite(value)) value = String(value);
  // Cleaning rarely shrinks text by 4x (cleanString's own bound); past that it is refused unread.
  if (typeof value !== "string" || value.length > max * 4) return null;
  const text = cleanString(repairLatin1Text(value), max * 4);
  return text === "" || text.length > max ? null : text;
}

/**
 * cleanText's earlier rule, for the web sources' answers (pipeline/sources): text past `max` is cut to it. A long list
 * of writers in one answer is still compared name by name there; tags and sidecars refuse such text instead.
 */
export function capText(value: unknown, max = MAX_CLAIM_LENGTH): string | null {
  if (typeof value === "number" && Number.isFinite(value)) value = String(value);
  if (typeof value !== "string") return null;
  const text = cleanString(repairLatin1Text(value.length > max * 4 ? value.slice(0, max * 4) : value), max);
  return text === "" ? null : text;
}

/** Longest list of people read from one value before it is split into names (a full cast in one narrator tag). */
export const MAX_NAME_LIST_LENGTH = 4000;

/** Longest description kept (it is shown to users, never claimed). */
export const MAX_DESCRIPTION_LENGTH = 64 * 1024;

const LINE_BREAK = /\r\n?|\n/;
const BLANK_LINES = /\n{3,}/g;

/** Like cleanText but keeps line breaks (paragraphs matter in a description). */
export function cleanDescription(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const lines = value.split(LINE_BREAK).map((line) => cleanString(line, MAX_DESCRIPTION_LENGTH));
  const text = lines.join("\n").replace(BLANK_LINES, "\n\n").trim();
  if (!text) return null;
  return text.length > MAX_DESCRIPTION_LENGTH ? capLength(text, MAX_DESCRIPTION_LENGTH).trimEnd() : text;
}

export { WRITER_READS };

/**
 * The readers narrator values name, each value's reader phrase cut ("Narrated by Ray Porter", "Sprecher: David
 * Nathan", shared with folder names: domain/reader-phrase.ts) and a list in one value split as an author list is
 * ("Ray Porter; Kate Reading", "Ray Porter & Kate Reading", "Ray Porter, Kate Reading"). A value saying the writer
 * reads ("gelesen vom Autor", "Read by the author") is WRITER_READS, for the caller to name once it knows the writer.
 */
export function readerNames(values: readonly unknown[]): string[] {
  const out: string[] = [];
  for (const value of values) {
    const text = cleanText(value, MAX_NAME_LIST_LENGTH);
    if (text === null) continue;
    const named = narratorIn(text);
    if (named === WRITER_READS) out.push(WRITER_READS);
    else if (named !== "") out.push(...(splitAuthors(named) ?? [named]));
  }
  return out;
}

/** The narrator claim of a sidecar's narrator values: readerNames joined, the writer named when the writer reads. */
export function narratorClaim(values: readonly unknown[], author: string | null): string | null {
  return joinNames(readerNames(values).flatMap((r) => (r !== WRITER_READS ? [r] : author !== null ? [author] : [])));
}

/** Joins several people the way music-metadata joins artists: "A, B & C". */
export function joinNames(names: readonly string[]): string | null {
  const unique: string[] = [];
  for (const raw of names) {
    // The callers refuse over-long values (cleanText) or read web answers as they come (capText): cut, as before.
    const name = capText(raw);
    if (name && !unique.some((u) => u.toLowerCase() === name.toLowerCase())) unique.push(name);
  }
  // A cast too long for one value keeps the names that fit, whole: cutting mid-name made up a person.
  for (let count = unique.length; count > 0; count--) {
    const some = unique.slice(0, count);
    const joined = some.length > 2 ? `${some.slice(0, -1).join(", ")} & ${some.at(-1)}` : some.join(" & ");
    if (joined.length <= MAX_CLAIM_LENGTH) return joined;
  }
  return null;
}

/**
 * A series position as a plain number string: "01" -> "1", "1.0" -> "1",
 * "Book 2" -> "2", "3/7" -> "3". Null for anything else (roman numerals,
 * ranges, words), which is safer than guessing.
 */
export function normalizeSeriesNum(value: unknown): string | null {
  // A number is read from the text's start: a long value is cut, not refused, as a name or title is.
  const text = capText(value, 40);
  return text === null ? null : parseSeriesNum(text, { digitsOnly: true });
}

/**
 * Splits "Mistborn #1", "Mistborn, Book 1", "Mistborn - Vol. 2", "Mistborn Book 3"
 * into name and position. A bare trailing number ("Catch 22") is not a position.
 */
const SERIES_POSITION = new RegExp(
  String.raw`^(.*?\S)\s*(?:,|:|-|–|\()?\s*(?:#\s*|(?:book|bk\.?|vol\.?|volume|part|no\.|(?:${FOREIGN_POSITION_WORDS})\.?)\s*#?\s*)(\d{1,4}(?:\.\d{1,3})?)\s*\)?$`,
  "iu",
);

export function splitSeries(value: unknown): { series: string; num: string | null } | null {
  const raw = cleanText(value);
  if (!raw) return null;
  // "三体 第二部", "ガリレオ 第3巻", "三体2": a volume written the Chinese, Japanese or Korean way.
  const text = hasCjk(raw) ? readCjkVolumes(foldCjkName(raw)).text : raw;
  const m = SERIES_POSITION.exec(text);
  if (m) {
    const num = normalizeSeriesNum(m[2]);
    const series = cleanText(m[1].replace(/[\s,:\-–(]+$/, ""));
    if (series && num) return { series, num };
  }
  return { series: raw, num: null };
}

/** A four-digit year from "2006", "2006-05-01", "May 2006", 2006; null when implausible. */
export function parseYear(value: unknown): string | null {
  const text = capText(value, 100);
  return text === null ? null : findYear(text);
}

/**
 * A sidecar's or a tag's title, subtitle and series read together, as Audible-fed tools write them:
 * - a subtitle that is the series and its position ("Mistborn, Book 1", as Audiobookshelf copies Audible's) is the
 *   series, no subtitle; one that names no position ("A Novel") stays a subtitle;
 * - a title led by its series and position ("The Dark Tower III: The Waste Lands") or closed by them ("The Final
 *   Empire: Mistborn, Book 1", "The Way of Kings (The Stormlight Archive, Book 1)") is the book's own words, the
 *   series claimed when none is (domain/subtitle.ts says which shapes are no series);
 * - ", Book 1" closing a title leaves it when the series is named, as the position is the series'.
 * Claims of other fields pass unchanged, in order.
 */
export function refineTitleClaims(claims: readonly Claim[]): Claim[] {
  const value = (field: Claim["field"]) => claims.find((c) => c.field === field)?.value ?? null;
  let title = value("title");
  let subtitle = value("subtitle");
  let series = value("series");
  let num = value("series_num");
  const sameSeries = (name: string) => series === null || sameSeriesName(name, series);
  if (subtitle !== null) {
    // "Tintenwelt 1" with no position word names the series too (subtitle.ts says which names with numbers do not).
    const named = SERIES_POSITION.test(subtitle) ? splitSeries(subtitle) : bareSeriesPosition(subtitle);
    if (named?.num && sameSeries(named.series)) {
      subtitle = null;
      if (series === null) [series, num] = [named.series, named.num];
      else num ??= named.num;
    }
  }
  if (title !== null) {
    const lead = seriesInTitle(title) ?? seriesLeadInTitle(title);
    if (lead !== null && sameSeries(lead.series)) {
      title = lead.title;
      if (series === null) [series, num] = [lead.series, lead.num];
      else num ??= lead.num;
    } else if (series !== null) {
      // "The Eye of the World, Book 1", "Tintenblut, Band 2", "Tome 2 : L'Assassin du roi" beside the series: the title,
      // and the series' position when nothing else gives it.
      const beside = positionBesideTitle(title);
      if (beside !== null && beside.title.toLowerCase() !== series.toLowerCase()) {
        title = beside.title;
        num ??= beside.num;
      }
    }
  }
  // "Dune (Dramatized)", "The Way of Kings (GraphicAudio)" as a sidecar's title: the recording's variant, as a
  // folder's name and an album say it (domain/name-tags.ts), no part of the title.
  let variant = value("variant");
  if (title !== null && (title.includes("(") || title.includes("["))) {
    const recording = readNameTags(title);
    if (recording.variant !== undefined) {
      title = cleanText(recording.rest) ?? title;
      variant ??= recording.variant;
    }
  }
  const refined: Record<string, string | null> = { title, subtitle, series, series_num: num, variant };
  const out = claims.flatMap((c) => (c.field in refined ? (refined[c.field] === null ? [] : [{ ...c, value: refined[c.field]! }]) : [c]));
  for (const field of ["series", "series_num", "variant"] as const) {
    if (refined[field] !== null && !out.some((c) => c.field === field)) out.push({ field, value: refined[field]! });
  }
  return out;
}
/**
 * The words a position stands after beside a title, in the languages tags are written in: "Book 1", "Band 2", "Tome 2",
 * "Tomo 4", "Deel 5", "Том 1", "Книга 3", and Russian's "Часть 2" (which, beside a series tagged apart, counts the
 * series' books as "Band" does; "Teil" and "Part" may split one book and stay in the title).
 */
const POSITION_WORDS = String.raw`(?:book|bk|vol|volume|tome|${FOREIGN_POSITION_WORDS}|часть)\.?\s*#?|#`;
const POSITION_NUMBER = String.raw`(\d{1,3}(?:\.\d{1,2})?)`;
/** ", Book 1", " (Book 1)", " - Book 1", " #1", ", Band 2", " (Tome 2)", ". Часть 2" closing a title. */
export const POSITION_SUFFIX = new RegExp(
  String.raw`(?:\s*[,\-–:.]\s*|\s+)(?:(?:${POSITION_WORDS})\s*${POSITION_NUMBER}|[([]\s*(?:${POSITION_WORDS})\s*${POSITION_NUMBER}\s*[)\]])$`,
  "iu",
);
/** "Tome 2 : L'Assassin du roi", "Книга 3. Сумеречный дозор", "Band 2 - Tintenblut": a position word and number leading a title. */
const POSITION_PREFIX = new RegExp(String.raw`^(?:${POSITION_WORDS})\s*${POSITION_NUMBER}\s*[-–—:.]\s*(?=\S)`, "iu");

/**
 * A title with a position written beside it and no series' name ("Tintenblut, Band 2", "L'Assassin du roi (Tome 2)",
 * "Книга 3. Сумеречный дозор"): the title and the position, which count in a series tagged apart; null otherwise.
 */
export function positionBesideTitle(text: string): { title: string; num: string } | null {
  const suffix = POSITION_SUFFIX.exec(text);
  if (suffix !== null && suffix.index > 0) {
    const title = cleanText(text.slice(0, suffix.index));
    const num = normalizeSeriesNum(suffix[1] ?? suffix[2]);
    return title !== null && num !== null ? { title, num } : null;
  }
  const prefix = POSITION_PREFIX.exec(text);
  if (prefix === null) return null;
  const title = cleanText(text.slice(prefix[0].length));
  const num = normalizeSeriesNum(prefix[1]);
  return title !== null && num !== null ? { title, num } : null;
}
