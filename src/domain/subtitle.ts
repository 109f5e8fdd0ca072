/**
 * "Sapiens: A Brief History of Humankind" is a title and a subtitle. Every
 * source splits the same way (the profile does it for all claims), so the
 * path's "Sapiens" and a tag's "Sapiens: A Brief History..." agree, and the
 * naming template decides whether {subtitle} is shown.
 */
import { canonicalNumber } from "./series-num.js";

/** ": " (or " : ") between two non-empty parts; the first colon only. */
const COLON = /\s*:\s+/u;
/** "Vol. 2: Title", "Book 1: Title", "Part One: Title": a position, not a title with a subtitle. */
const POSITION_HEAD = /^(?:(?:book|bk|vol(?:ume)?|part|tome|episode|season|chapter)\.?\s*[\p{L}\p{N}.]{1,8}|#?\d{1,4})$/iu;
const MEANINGFUL = /[\p{L}\p{N}]/u;

/** [title, subtitle], or null when the title has no subtitle. */
export function splitSubtitle(title: string): [string, string] | null {
  if (typeof title !== "string") return null;
  const m = COLON.exec(title);
  if (m === null || m.index === 0) return null;
  const head = title.slice(0, m.index).trim();
  const tail = title.slice(m.index + m[0].length).trim();
  if (!MEANINGFUL.test(head) || !MEANINGFUL.test(tail) || POSITION_HEAD.test(head)) return null;
  return [head, tail];
}

/**
 * "The Final Empire: Mistborn, Book 1" (Audible's title form) and "The Way of
 * Kings (The Stormlight Archive, Book 1)" (Amazon's): a title followed by its
 * series and position. A position word or "#" is required, so "Sapiens: A
 * Brief History of Humankind" and "Apollo 13 (Film Tie-In)" are no match.
 */
export function seriesInTitle(text: string): { title: string; series: string; num: string } | null {
  if (typeof text !== "string") return null;
  const m = SERIES_AFTER_COLON.exec(text) ?? SERIES_IN_BRACKETS.exec(text);
  if (m === null) return null;
  const title = m[1].trim();
  const series = m[2].trim();
  return MEANINGFUL.test(title) && MEANINGFUL.test(series) ? { title, series, num: canonicalNumber(m[3]) } : null;
}
const SERIES_AFTER_COLON = /^(.+?)\s*:\s+(.+?)(?:,\s*|\s+)(?:book|bk\.?|vol\.?|volume|#)\s*(\d{1,3}(?:\.\d{1,2})?)$/iu;
const SERIES_IN_BRACKETS = /^(.+?)\s*[([]\s*([^()[\]]+?)(?:,\s*|\s+)(?:book|bk\.?|vol\.?|volume|#)\s*(\d{1,3}(?:\.\d{1,2})?)\s*[)\]]$/iu;
