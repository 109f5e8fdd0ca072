/**
 * Series positions spelled one way wherever they were found (path, tags,
 * sidecars, evidence keys): "02" → "2", "2.50" → "2.5", "IV" → "4", "Two" → "2".
 * Two spellings of one position would split its evidence.
 */
import { lazyRegExp } from "./lazy-regexp.js";
import { cjkNumber } from "./cjk-names.js";

/**
 * The ordinals other languages number a volume with, after or before its word ("Tome premier", "Libro primero",
 * "Книга первая", "Erster Band"); both genders where the volume words differ in theirs.
 */
export const FOREIGN_ORDINALS: Readonly<Record<string, string>> = {
  premier: "1", "première": "1", "deuxième": "2", seconde: "2", "troisième": "3", "quatrième": "4", "cinquième": "5",
  primero: "1", primera: "1", segundo: "2", segunda: "2", tercero: "3", tercera: "3", cuarto: "4", cuarta: "4", quinto: "5", quinta: "5",
  primo: "1", prima: "1", secondo: "2", terzo: "3", quarto: "4",
  erster: "1", erste: "1", zweiter: "2", zweite: "2", dritter: "3", dritte: "3", vierter: "4", vierte: "4", "fünfter": "5", "fünfte": "5",
  "первая": "1", "первый": "1", "вторая": "2", "второй": "2", "третья": "3", "третий": "3", "четвёртая": "4", "четвертая": "4",
  "четвёртый": "4", "четвертый": "4", "пятая": "5", "пятый": "5",
};

/** English number words a position may be written as ("Book Two", "Third Book"). */
export const NUMBER_WORDS: Readonly<Record<string, string>> = {
  zero: "0", one: "1", two: "2", three: "3", four: "4", five: "5", six: "6", seven: "7",
  eight: "8", nine: "9", ten: "10", eleven: "11", twelve: "12", thirteen: "13", fourteen: "14",
  fifteen: "15", sixteen: "16", seventeen: "17", eighteen: "18", nineteen: "19", twenty: "20",
  first: "1", second: "2", third: "3", fourth: "4", fifth: "5", sixth: "6",
  seventh: "7", eighth: "8", ninth: "9", tenth: "10",
  ...FOREIGN_ORDINALS,
};
const ROMAN_VALUES: Record<string, number> = { i: 1, v: 5, x: 10, l: 50 };
const LEAD_ZEROS = /^0+(?=\d)/;
const TRAIL_ZEROS = /0+$/;

/**
 * "Band 2", "Bd. 2", "Folge 125" (German), "Livre 3" (French; "Tome" is English too), "Tomo 1", "Libro 2" (Spanish,
 * Italian), "Livro 2" (Portuguese), "Deel 2", "Boek 1" (Dutch), "Buch 2", "Bind 3" (Danish, Norwegian), "Tom 5"
 * (Polish, Czech, Russian "Том"), "Книга 2" (Russian): the words other languages write before a book's position.
 * Every pattern using them wants a number right after, so "Tom Clancy" is never read as one.
 * ("Teil", like "Part", may split one book, so it is no series position.) A regex alternation, no groups.
 */
export const FOREIGN_POSITION_WORDS = String.raw`band|bd|folge|livre|tomo|libro|livro|volumen|deel|del|boek|buch|bind|tom|том|книга`;

/** An omnibus range of positions, "1-3" of "Books 1-3": written without spaces, so a spaced dash stays a separator. */
export const POSITION_RANGE = String.raw`\d{1,3}[-–]\d{1,3}`;
const RANGE = /^(\d{1,3})\s*[-–]\s*(\d{1,3})$/;

/** Digits as matched ("02", "2.50", "2,5", "01-03") → "2", "2.5", "2.5", "1-3". */
export function canonicalNumber(digits: string): string {
  const range = RANGE.exec(digits);
  if (range !== null) return `${canonicalNumber(range[1])}-${canonicalNumber(range[2])}`;
  const sep = digits.search(/[.,]/);
  const intPart = (sep < 0 ? digits : digits.slice(0, sep)).replace(LEAD_ZEROS, "");
  const frac = sep < 0 ? "" : digits.slice(sep + 1).replace(TRAIL_ZEROS, "");
  return frac === "" ? intPart : `${intPart}.${frac}`;
}

/** One token (digits, a roman numeral up to LXXXIX, a number word; any case) → canonical position, or null. */
export function seriesNumToken(token: string): string | null {
  const lower = token.toLowerCase();
  const first = lower.charCodeAt(0);
  if (first >= 48 && first <= 57) return canonicalNumber(lower);
  return NUMBER_WORDS[lower] ?? romanToString(lower);
}

function romanToString(s: string): string | null {
  let total = 0;
  for (let i = 0; i < s.length; i++) {
    const v = ROMAN_VALUES[s[i]];
    if (v === undefined) return null;
    const next = i + 1 < s.length ? ROMAN_VALUES[s[i + 1]] : 0;
    total += next !== undefined && next > v ? -v : v;
  }
  // Round-trip check rejects malformed numerals such as "iiii" or "vx".
  return total > 0 && toRoman(total) === s ? String(total) : null;
}

function toRoman(n: number): string {
  // Up to LXXXIX: long series number past 39 ("Warriors, Book XLI"); "C" and above would take words ("CD", "CIA").
  const tens = ["", "x", "xx", "xxx", "xl", "l", "lx", "lxx", "lxxx"][Math.floor(n / 10)] ?? "";
  const ones = ["", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"][n % 10];
  return tens + ones;
}

const SERIES_NUM_PATTERN = lazyRegExp(() => new RegExp(
  String.raw`^(?:(?:books?|bk|volumes?|vols?|v|number|num|no|nr|parts?|pt|episodes?|ep|tome|teil|${FOREIGN_POSITION_WORDS})(?:\.\s*|\s+|(?=\d)|\s*(?=#))|)(?:#\s*)?(\d{1,3}\s*[-–]\s*\d{1,3}|\d{1,4}(?:[.,]\d+)?|\d{1,4}(?:st|nd|rd|th)|[ivxl]{1,7}|\p{L}{3,10})\.?(?:\s*(?:of|\/)\s*\d+)?$`, "u",
));

export interface SeriesNumOptions {
  /**
   * Accept only positions written in digits ("III" and "one" → null), for
   * values read out of tags and sidecars where a word is a guess.
   */
  digitsOnly?: boolean;
}

/** "第3巻", "第三卷", "3巻", "제3권": a volume written the Chinese, Japanese or Korean way. */
const CJK_VOLUME = /^(?:第|제)\s*([\d〇零一二两兩三四五六七八九十百]{1,5})\s*(?:巻|卷|冊|册|部|권)?$|^(\d{1,3})\s*(?:巻|卷|冊|册|권)$/u;

const ORDINAL_DIGITS = /^(\d+)(st|nd|rd|th)$/;

/** The English ordinal ending of n: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st. */
function ordinalSuffix(n: number): string {
  if (n % 100 >= 11 && n % 100 <= 13) return "th";
  return ["th", "st", "nd", "rd"][n % 10] ?? "th";
}

/** A whole value as a position: "Book 02" → "2", "#2.50" → "2.5", "Part IV" → "4", "3 of 7" → "3", "第三卷" → "3"; null when not one. */
export function parseSeriesNum(value: string, options: SeriesNumOptions = {}): string | null {
  const cjk = value.length <= 12 ? CJK_VOLUME.exec(value.trim()) : null;
  if (cjk !== null) {
    // Written with its volume word, a CJK numeral is no guess: "第三卷" is the third volume.
    const n = cjk[2] ?? cjk[1];
    const num = /^\d+$/u.test(n) ? Number(n) : cjkNumber(n);
    return num === null ? null : String(num);
  }
  const m = SERIES_NUM_PATTERN().exec(value.trim().toLowerCase());
  if (m === null) return null;
  const token = m[1];
  const first = token.charCodeAt(0);
  if (first >= 48 && first <= 57) {
    const range = RANGE.exec(token);
    // "1-3" is an omnibus; "3-1" or "1-80" is no range of books.
    if (range !== null && !(Number(range[1]) < Number(range[2]) && Number(range[2]) - Number(range[1]) <= 30)) return null;
    const ordinal = ORDINAL_DIGITS.exec(token);
    // "3rd" is "third", read as the word is (not in tags' digits-only fields); "3th" or "1nd" is no ordinal, but a slip.
    if (ordinal !== null) return options.digitsOnly || ordinalSuffix(Number(ordinal[1])) !== ordinal[2] ? null : canonicalNumber(ordinal[1]);
    return canonicalNumber(token);
  }
  if (options.digitsOnly) return null;
  // A bare roman numeral past XXXIX ("XL", "L", "LIV") is a word far more often than a position: a size, a letter,
  // a name ("Liv"), an event ("Super Bowl L"). Written after a volume word or "#" ("Book XLI", "#XL") it counts.
  if (token.includes("l") && value.trim().toLowerCase().startsWith(token)) return null;
  return seriesNumToken(token);
}
