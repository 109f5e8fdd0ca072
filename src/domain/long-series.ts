/**
 * Perry Rhodan, Maddrax, John Sinclair, Jerry Cotton, the Star Wars novels: series of hundreds or thousands
 * of numbered books, shelved as "Perry Rhodan/Perry Rhodan - 2034 - Die Suche". A four-digit number between
 * the series' name and a title has the shape of "Agatha Christie/Agatha Christie - 1920 - Title", whose number
 * is a year. Under a folder that names the series (the name before the number is the folder's, or the number
 * leads the name), the number is a position when:
 *  - the series' name stands before it and no year can be written so ("2034", "3100" are still to come;
 *    "0999" is zero-padded), or
 *  - a sibling under the same name carries such a number, or a three-digit one ("Perry Rhodan - 999 - Title"):
 *    the folder counts positions, so its year-sized numbers are positions too, or
 *  - a year follows as a piece of its own ("1045 - 2026 - Title", "2413 - 2007 - Title"), when the number cannot be
 *    an earlier edition's year.
 * Words that continue the number ("2034 - A Novel of the Next World War", number-titles.ts) keep it a title.
 * A year-sized number alone stays a year: "Jack Reacher - 1997 - Killing Floor" beside "... - 1998 - ..." is
 * dated, and consecutive years look like consecutive positions, so they prove nothing.
 */
import { isPlausibleYear } from "./year.js";
import { isNumberTitle } from "./number-titles.js";
import { FOREIGN_POSITION_WORDS } from "./series-num.js";
import { nameScore } from "./person-name.js";
import { lazyRegExp } from "./lazy-regexp.js";
import { SERIES_HEROES } from "./hero-names.js";

/** "Perry Rhodan - 2034 - Title", "Perry Rhodan 2034 - Title", "2034 - Title". */
const SLOT = /^(?:(.*?\S)(?:\s+[-–—]+\s+|\s+))?(\d{4})(?!\d)\s*[-–—:]\s*(?=\S)/u;
/** A sibling's number after the same name: "Perry Rhodan - 999 - Title", "0999 - Title". */
const SIBLING_SLOT = /^(?:(.*?\S)(?:\s+[-–—]+\s+|\s+))?(\d{3,4})(?!\d)\s*[-–—:]\s*(?=\S)/u;
const SPACES = /\s+/gu;
const POSITION_WORD_END = new RegExp(String.raw`(?:^|[\s,])(?:books?|bk|vol(?:ume)?s?|tome|part|no|nr|episode|ep|${FOREIGN_POSITION_WORDS})\.?$`, "iu");

function fold(text: string): string {
  return text.toLowerCase().replace(SPACES, " ").trim();
}

/** A number only a position can be: zero-padded, or no plausible year. */
function positionOnly(digits: string): boolean {
  return digits.length === 4 && (digits[0] === "0" || !isPlausibleYear(Number(digits)));
}

/** The prefix names the folder's series: the same words, or the folder's words and more ("Perry Rhodan Neo"). */
function namesFolder(prefix: string, folder: string): boolean {
  const p = fold(prefix);
  const f = fold(folder);
  return f.length >= 2 && (p === f || (p.startsWith(f) && !/[\p{L}\p{N}]/u.test(p[f.length])));
}

/**
 * `name` with its four-digit position written "#2034" ("Perry Rhodan #2034 - Die Suche", "#2034 - Die Suche")
 * when the rule above holds under `folder` (the nearest folder that names something); null otherwise.
 */
export function withLongSeriesPosition(name: string, folder: string | undefined, siblings: readonly string[] | undefined): string | null {
  // "Perry Rhodan 2500 - Projekt Saturn", "Maddrax - 0523 - Title" at the library's root: with no folder to name the
  // series, only a number no year can be, after a name, is its position.
  if (folder === undefined) return rootPosition(name);
  // "Series/1045 - 2026 - Title": a year as a piece of its own after the number (Audiobookshelf's "Vol 1045 - 2026 -
  // Title" without its word) dates the book, so the number before it is its position.
  const dated = NUMBER_THEN_YEAR.exec(name);
  if (dated !== null && yearThenTitle(dated[1], name.slice(dated[0].length))) return `#${dated[1]} - ${name.slice(dated[0].length)}`;
  const m = SLOT.exec(name);
  if (m === null) return null;
  const prefix = m[1] ?? "";
  // "Perry Rhodan Band 2034 - Title" marks its position already; the series' name is what stands before the word.
  if (prefix !== "" && (!namesFolder(prefix, folder) || POSITION_WORD_END.test(prefix))) return null;
  const digits = m[2];
  const rest = name.slice(m[0].length);
  // "Elliot Ackerman/2034 - A Novel of the Next World War": words that continue the number make it a title.
  if (isNumberTitle(digits, rest)) return null;
  // Without a series' name before it, only siblings show the number counts books: "2034 - Title" alone is a title.
  if (!(prefix !== "" && positionOnly(digits)) && !countsPositions(prefix, siblings)) return null;
  return prefix === "" ? `#${digits} - ${rest}` : `${prefix} #${digits} - ${rest}`;
}

function rootPosition(name: string): string | null {
  const m = ROOT_SLOT().exec(name);
  if (m === null || POSITION_WORD_END.test(m[1]) || !LETTER().test(m[1])) return null;
  const rest = name.slice(m[0].length);
  if (m[2].length === 3) return episodePosition(m[1], m[2], rest);
  if (!positionOnly(m[2]) || isNumberTitle(m[2], rest)) return null;
  return `${m[1]} #${m[2]} - ${rest}`;
}

/**
 * "Die drei ??? 125 - Feuermond", "TKKG 200 - Gefährliche Erbschaft": three digits between a name and a title count a
 * long series' episodes; no year can be written so. A title ending in such a number has its writer after the dash
 * ("Fahrenheit 451 - Ray Bradbury"), or is one the list below knows; two digits ("Catch 22", "Apollo 13") never get
 * here.
 */
function episodePosition(prefix: string, digits: string, rest: string): string | null {
  if (KNOWN_NUMBER_ENDED_TITLES.has(fold(`${prefix} ${digits}`))) return null;
  // "Stephen King 100 - ..." is no series, "John Sinclair 100 - Der Schwarze Tod" is: a person leads only as a hero.
  if (nameScore(prefix) >= 2 && !SERIES_HEROES.has(fold(prefix))) return null;
  // The piece after the dash may carry a reader or a year after it ("Feuermond - Oliver Rohrbeck"): its first piece
  // is what must be no person.
  const first = rest.split(DASHED_PIECE())[0].trim();
  if (first.length === 0 || nameScore(first) >= 2) return null;
  return `${prefix} #${digits} - ${rest}`;
}
/** Well-known titles closing with a three-digit number, folded. */
const KNOWN_NUMBER_ENDED_TITLES: ReadonlySet<string> = new Set(["fahrenheit 451", "room 101", "flight 714", "apollo 440", "area 404", "station 117", "the 100", "paris 1919"]);
/** "Name 125 - Title", "Name - 125 - Title", "Name 2500 - Title": a name, then the number. */
const ROOT_SLOT = lazyRegExp(() => /^(.*?\S)(?:\s+[-–—]+\s+|\s+)(\d{3,4})(?!\d)\s*[-–—:]\s*(?=\S)/u);
const LETTER = lazyRegExp(() => /\p{L}/u);
const DASHED_PIECE = lazyRegExp(() => /\s+[-–—]+\s+/u);

/**
 * "2026 - Title": a plausible year, then a title that is no sure person ("2003 - George Orwell"), after a number that is
 * no book's first year before it: older than the novels shelved by year ("1045", "1456") or later than the year ("2413 -
 * 2007"). "1920 - 1921 - Title" may name a first edition and a recording's year.
 */
function yearThenTitle(digits: string, rest: string): boolean {
  const m = YEAR_PIECE.exec(rest);
  const [num, year] = [Number(digits), Number(m?.[1])];
  return m !== null && isPlausibleYear(year) && (num < EARLIEST_EDITION || num > year) && nameScore(rest.slice(m[0].length)) < 2;
}
const EARLIEST_EDITION = 1600;
const YEAR_PIECE = /^(\d{4})\s+[-–—]+\s+(?=\S)/u;
const NUMBER_THEN_YEAR = /^(\d{4})\s+[-–—]+\s+(?=\d{4}\s+[-–—])/u;

function countsPositions(prefix: string, siblings: readonly string[] | undefined): boolean {
  if (siblings === undefined) return false;
  const own = fold(prefix);
  return siblings.some((sibling) => {
    const m = SIBLING_SLOT.exec(sibling);
    return m !== null && fold(m[1] ?? "") === own && (m[2].length === 3 || positionOnly(m[2]));
  });
}
