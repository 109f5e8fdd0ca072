/**
 * "Sapiens: A Brief History of Humankind" is a title and a subtitle. Every
 * source splits the same way (the profile does it for all claims), so the
 * path's "Sapiens" and a tag's "Sapiens: A Brief History..." agree, and the
 * naming template decides whether {subtitle} is shown.
 */
import { lazyRegExp } from "./lazy-regexp.js";
import { canonicalNumber, FOREIGN_POSITION_WORDS, seriesNumToken } from "./series-num.js";
import { GIVEN_NAMES } from "./given-names.js";
import { nameScore } from "./person-name.js";
import { DISC_WORDS, PIECE_WORDS } from "./part-words.js";

/** ": " (or " : ") between two non-empty parts; the first colon only. */
const COLON = /\s*:\s+/u;
/** "Vol. 2: Title", "Book 1: Title", "Part One: Title": a position, not a title with a subtitle. */
const POSITION_HEAD = lazyRegExp(() => /^(?:(?:book|bk|vol(?:ume)?|part|tome|episode|season|chapter)\.?\s*[\p{L}\p{N}.]{1,8}|#?\d{1,4})$/iu);
const MEANINGFUL = lazyRegExp(() => /[\p{L}\p{N}]/u);

/** [title, subtitle], or null when the title has no subtitle. */
export function splitSubtitle(title: string): [string, string] | null {
  if (typeof title !== "string") return null;
  const m = COLON.exec(title);
  if (m === null) return novelInBrackets(title);
  if (m.index === 0) return null;
  const head = title.slice(0, m.index).trim();
  const tail = title.slice(m.index + m[0].length).trim();
  if (!MEANINGFUL().test(head) || !MEANINGFUL().test(tail) || POSITION_HEAD().test(head)) return null;
  return [head, tail];
}

/** "Killing Floor (A Jack Reacher Novel)": the kind of book and its series in a closing bracket, as after a colon. */
function novelInBrackets(title: string): [string, string] | null {
  if (!NOVEL_HINT.test(title)) return null;
  const m = NOVEL_BRACKET_END.exec(title);
  return m === null || m.index === 0 || !MEANINGFUL().test(title.slice(0, m.index)) ? null : [title.slice(0, m.index).trim(), m[1]];
}
const NOVEL_HINT = /(?:novel|novella|thriller|mystery)\)$/iu;
const NOVEL_BRACKET_END = /\s*\((an?\s+(?:[\p{L}'’-]+\s+){1,4}(?:novel|novella|thriller|mystery))\)$/iu;

/**
 * "The Final Empire: Mistborn, Book 1" (Audible's title form) and "The Way of
 * Kings (The Stormlight Archive, Book 1)" (Amazon's): a title followed by its
 * series and position. A position word or "#" is required, so "Sapiens: A
 * Brief History of Humankind" and "Apollo 13 (Film Tie-In)" are no match.
 */
export function seriesInTitle(text: string): { title: string; series: string; num: string } | null {
  if (typeof text !== "string") return null;
  const m = seriesAfterColon(text) ?? SERIES_IN_BRACKETS().exec(text) ?? seriesAfterDash(text);
  if (m === null) return bookOfSeries(text) ?? seriesAfterColonBare(text) ?? seriesInBracketsBare(text) ?? seriesAfterDashBare(text);
  const title = m[1].trim();
  const series = m[2].trim();
  return MEANINGFUL().test(title) && MEANINGFUL().test(series) ? { title, series, num: canonicalNumber(m[3]) } : null;
}
/**
 * "The Way of Kings: Book One of the Stormlight Archive", "Wolves of the Calla (Book 5 of The Dark Tower)",
 * "Dune, Book 1 of the Dune Chronicles": the position, then the series it counts in.
 */
function bookOfSeries(text: string): { title: string; series: string; num: string } | null {
  const m = BOOK_OF_SERIES.exec(text);
  if (m === null) return null;
  const num = seriesNumToken(m[2]);
  const title = m[1].trim();
  const series = m[3].trim().replace(/^the\s+/u, "");
  return num !== null && MEANINGFUL().test(title) && LETTER().test(series) && !/^\d/u.test(series) && seriesNumToken(series) === null ? { title, series, num } : null;
}
const BOOK_OF_SERIES = /^(.+?)(?:\s*:\s+|\s*,\s*|\s*[([]\s*)(?:book|volume|vol\.|novel)\s+(\d{1,3}(?:\.\d{1,2})?|[a-z]{3,9}|[ivxl]{1,7})\s+(?:of|in)\s+([^()[\]]+?)\s*[)\]]?$/iu;
/** "Book 1", "Vol. 1", "#1", and the words other languages write ("Band 3", "Tome 2", "Libro 1", "Tom 5"). */
const POSITION_WORD = String.raw`(?:book|bk\.?|vol\.?|volume|tome|(?:${FOREIGN_POSITION_WORDS})\.?|#)`;
/**
 * "The Final Empire: Mistborn, Book 1": the title ends at the first colon; only what follows is matched against the
 * series and its position. One pattern for both read on from every colon to the name's end (quadratic: a name of
 * 220,000 characters of colons took seconds), though a later colon never matches where the first did not.
 */
function seriesAfterColon(text: string): RegExpExecArray | null {
  const colon = new RegExp(FIRST_COLON_AFTER_ONE);
  colon.lastIndex = 1;
  const found = colon.exec(text);
  if (found === null || LINE_BREAK.test(text.slice(0, found.index))) return null;
  const m = SERIES_AFTER_COLON().exec(text.slice(found.index + found[0].length));
  if (m === null) return null;
  m[1] = text.slice(0, found.index);
  return m;
}
const FIRST_COLON_AFTER_ONE = /\s*:\s+/gu;
const SERIES_AFTER_COLON = lazyRegExp(() => new RegExp(String.raw`^()(.+?)(?:,\s*|\s+)${POSITION_WORD}\s*(\d{1,3}(?:\.\d{1,2})?)$`, "iu"));
/** "Tintenherz - Tintenwelt, Band 1": the series and its position as the last dashed piece, with a position word. */
const SERIES_AFTER_DASH = lazyRegExp(() => new RegExp(String.raw`^(.+?)\s+[-–—]\s+([^-–—]+?)(?:,\s*|\s+)${POSITION_WORD}\s*(\d{1,3}(?:\.\d{1,2})?)$`, "iu"));
/** "Stephen King - The Dark Tower, Book 1" is a writer before the series, no title. */
function seriesAfterDash(text: string): RegExpExecArray | null {
  const m = SERIES_AFTER_DASH().exec(text);
  return m !== null && nameScore(m[1].trim()) < 2 ? m : null;
}
const SERIES_IN_BRACKETS = lazyRegExp(() => new RegExp(String.raw`^(.+?)\s*[([]\s*([^()[\]]+?)(?:,\s*|\s+)${POSITION_WORD}\s*(\d{1,3}(?:\.\d{1,2})?)\s*[)\]]$`, "iu"));

/**
 * "Tintenherz: Tintenwelt 1", "Leviathan Wakes: Expanse 1": Audible's German and many Libation/OpenAudible titles
 * name the series and its number after the colon with no position word. The name after the colon must be a name
 * with a small number, not a thing counted or a shelf: "Apollo 13: ..." has its number before the colon,
 * "Dune: Part 2", "Der Schwarm: Teil 2" are parts of one book, "Sherlock: Series 3", "Doctor Who: Season 2" are
 * shelves, "Blink: Day 3", "Mission: Apollo 11" count other things.
 */
function seriesAfterColonBare(text: string): { title: string; series: string; num: string } | null {
  const colon = COLON.exec(text);
  if (colon === null) return null;
  const title = text.slice(0, colon.index).trim();
  const named = bareSeriesPosition(text.slice(colon.index + colon[0].length));
  return named !== null && MEANINGFUL().test(title) && !POSITION_HEAD().test(title) ? { title, ...named } : null;
}

/**
 * "The Final Empire - Mistborn 1", "Tintenherz - Tintenwelt 1": the last dashed piece a name with a small number, as
 * after a colon; the title before it no person's name ("Stephen King - Dark Tower 1" names the writer, not a title).
 */
function seriesAfterDashBare(text: string): { title: string; series: string; num: string } | null {
  let dash: RegExpExecArray | null = null;
  for (const found of text.matchAll(SPACED_DASH)) dash = found;
  if (dash === null) return null;
  const title = text.slice(0, dash.index).trim();
  const named = bareSeriesPosition(text.slice(dash.index + dash[0].length));
  return named !== null && MEANINGFUL().test(title) && !POSITION_HEAD().test(title) && nameScore(title) < 2 ? { title, ...named } : null;
}
// The last one found by walking them all: a look ahead for no later dash read the rest of the name from every dash
// (3 s on a 220,000-character name of dashes).
const SPACED_DASH = /\s[-–—]\s/gu;

/** "Tintenherz (Tintenwelt 1)", "Ancillary Justice (Imperial Radch 01)": the bracket holds only a series and a number. */
function seriesInBracketsBare(text: string): { title: string; series: string; num: string } | null {
  const m = BARE_IN_BRACKETS.exec(text);
  if (m === null) return null;
  const title = m[1].trim();
  const named = bareSeriesPosition(m[2]);
  return named !== null && MEANINGFUL().test(title) ? { title, ...named } : null;
}
const BARE_IN_BRACKETS = /^([^()[\]]+?)\s*[([]([^()[\]]+)[)\]]$/u;

/**
 * "Tintenwelt 1", "Expanse 1", "Malazan Book of the Fallen 1": a name and a small number and nothing else, as a
 * subtitle (tag or after a colon) names a series' position. Not "Teil 2", "Season 2", "Apollo 13", "Day 3",
 * "World War 2", "Tome 1" (a position word with no name), nor a year.
 */
export function bareSeriesPosition(text: string): { series: string; num: string } | null {
  if (typeof text !== "string") return null;
  const m = BARE_NAME_NUMBER().exec(text.trim());
  if (m === null) return null;
  const series = m[1].trim();
  const last = series.split(/\s+/u).pop()!;
  if ((last !== series && NOT_SERIES_HEAD.test(last) && !WAR.test(last)) || NOT_SERIES_HEAD.test(series) || NOT_SERIES_AFTER_COLON().test(last)) return null;
  return { series, num: canonicalNumber(m[2]) };
}
const WAR = /^war$/iu;
// No digits in the name: "Book 2 of 3" counts, it names nothing.
const BARE_NAME_NUMBER = lazyRegExp(() => /^(\p{L}[^:,()[\]\d]*?\p{L})\s+(\d{1,3}(?:\.\d{1,2})?)$/u);
/** Words before a number that count a book's parts, shelves of a series, or things other than books. */
const NOT_SERIES_AFTER_COLON = lazyRegExp(() => new RegExp(
  String.raw`^(?:pt|teil|partie|parte|del|część|series|serie|season|saison|staffel|era|arc|episode|ep|round|sol|lesson|book|bk|vol|volume|tome|no|nr|number|issue|edition|draft|take|mission|version|v|of|von|sur|de|di|van|${FOREIGN_POSITION_WORDS})$`,
  "iu",
));

/**
 * "The Dark Tower III: The Waste Lands", "The Expanse 1: Leviathan Wakes", "Mistborn 3 - The Hero of Ages",
 * "Mistborn, Book 3: The Hero of Ages", "Star Wars: Thrawn (Book I)": a series' name and position before the
 * book's own title, as Audible's and rippers' albums write it. The same shape also names things that are no
 * series, so what one name alone cannot settle is left a title:
 * - a ruler or a war: "Richard III: ...", "King Henry V: ...", "World War II: A History" (a roman numeral needs
 *   two words before it, the last no given name, and no war);
 * - a thing with its number: "Apollo 13: The Untold Story", "Area 51: An Uncensored History" (one word before a
 *   number counts only before a dash, as series-numbered rips write it, or with a position word or leading zero);
 * - "1984", "Catch-22", "2001: A Space Odyssey": no words before the number, or no space.
 */
export function seriesLeadInTitle(text: string): { title: string; series: string; num: string } | null {
  if (typeof text !== "string") return null;
  const bracketed = SERIES_THEN_BOOK_POSITION.exec(text);
  if (bracketed !== null) {
    const num = seriesNumToken(bracketed[3]);
    const series = bracketed[1].trim();
    const title = bracketed[2].trim();
    return num !== null && MEANINGFUL().test(series) && MEANINGFUL().test(title) && !POSITION_HEAD().test(series) ? { title, series, num } : null;
  }
  // No line of several matches ("." stops at a line's end), and testing for one first spares a retry per number.
  if (LINE_BREAK.test(text)) return null;
  const m = NUMBERED_HEAD().exec(text);
  if (m === null) return null;
  const [, rawHead, hash, token, separator, rawTitle] = m;
  const title = rawTitle.trim();
  if (!MEANINGFUL().test(title)) return null;
  const positionWord = HEAD_POSITION_WORD().exec(rawHead);
  const series = (positionWord === null ? rawHead : rawHead.slice(0, positionWord.index)).replace(/[\s,.:–-]+$/u, "").trim();
  if (!LETTER().test(series) || NOT_SERIES_HEAD.test(series)) return null;
  const num = seriesNumToken(token);
  if (num === null) return null;
  const words = series.split(/\s+/u);
  const roman = /^[IVX]+$/u.test(token);
  // "Mistborn #2: The Well of Ascension": a "#" counts a series' books as "Book" does ("Apollo 13: ..." has none).
  if (positionWord === null && hash === "") {
    if (roman && (words.length < 2 || GIVEN_NAMES.has(words[words.length - 1].toLowerCase()))) return null;
    if (!roman && words.length < 2 && !(separator !== ":" && token.length <= 2) && !token.startsWith("0")) return null;
  }
  return { title, series, num };
}
const LETTER = lazyRegExp(() => /\p{L}/u);
const LINE_BREAK = /[\n\r\u2028\u2029]/u;
/** Words, a number (digits, or a capital roman numeral), a colon, a spaced dash or a full stop, the title. */
// "Die Tribute von Panem 1. Tödliche Spiele", "Eragon 1. Das Vermächtnis der Drachenreiter": German albums put a full
// stop after the position.
// The head's start is fixed (all before its first letter) and it ends on a non-space: two free lazy runs, or a
// head free to end anywhere in a run of spaces, tried every pair of places (1 s on a 20,000-character name).
const NUMBERED_HEAD = lazyRegExp(() => /^([^\p{L}]*\p{L}(?:.*?\S)?)\s+(#?)(\d{1,3}(?:\.\d{1,2})?|[IVX]{1,6})\s*(:|\s[-–—]|\.)\s+(?=\S)(.+)$/u);
// "Wiedźmin. Tom 1. Ostatnie życzenie", "Tintenwelt, Band 2: Tintenblut": the words other languages write, after a
// full stop too.
const HEAD_POSITION_WORD = lazyRegExp(() => new RegExp(String.raw`(?:^|[\s,])(?:book|bk|vol(?:ume)?|tome|episode|no|nr|${FOREIGN_POSITION_WORDS})\.?$`, "iu"));
/** A war, or one word that counts parts of a book or numbers a thing ("Chapter 1 - ...", "Apollo 13 - ..."): no series. */
// A war counted by its number is "World War" or "Great War" (or "War" alone); other names closing with "War" name
// series ("Old Man's War 1", "The Forever War 2").
// The pieces' words of part-words.ts in every language it lists: "Война и мир (Часть 1)", "Ogniem i mieczem (Część 2)"
// keep their part as "The Stand (Part 2)" does, never a series "Часть".
const NOT_SERIES_HEAD_RE = lazyRegExp(
  () => new RegExp(String.raw`\b(?:world|great)\s+war$|^war$|^(?:chapter|${PIECE_WORDS}|${DISC_WORDS}|track|side|act|section|day|week|year|phase|stage|level|lesson|unit|page|room|apollo|area|flight|route|channel|studio|gate|platform|station)$`, "iu"),
);
const NOT_SERIES_HEAD = { test: (text: string): boolean => NOT_SERIES_HEAD_RE().test(text) };
/** "Star Wars: Thrawn (Book I)": the bracket holds only a position, so the name before the colon is the series. */
const SERIES_THEN_BOOK_POSITION = /^([^:()[\]]+?)\s*:\s+([^()[\]]+?)\s*[([]\s*(?:book|bk\.?|vol\.?|volume|#)\s*(\d{1,3}(?:\.\d{1,2})?|[IVXLivxl]{1,7}|[A-Za-z]{3,9})\s*[)\]]$/iu;

/**
 * "The Expanse" and "Expanse", "The Stormlight Archive" and "Stormlight Archive": one series, with or without its
 * article; "Star Wars" and "Star Wars: Thrawn" too, a franchise and its series (Audible names series so), the
 * shorter name being whole words of the longer one's start.
 */
export function sameSeriesName(a: string, b: string): boolean {
  const fold = (name: string) => name.trim().toLowerCase().replace(SERIES_ARTICLE, "").replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  const [x, y] = [fold(a), fold(b)];
  if (x === "" || y === "") return false;
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  return long === short || (long.startsWith(`${short} `) && a.includes(":") !== b.includes(":"));
}
const SERIES_ARTICLE = /^(?:the|a|an|der|die|das|le|la|les|el|los|las|de|het)\s+/u;
