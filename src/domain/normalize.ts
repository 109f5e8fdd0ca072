/**
 * Value cleaning and the normalized keys evidence is grouped by. Two claims
 * agree when their keys are equal, so "The Hobbit", "the hobbit" and
 * "THE HOBBIT." count as one value; "Book 02" and "2" as one series number.
 */
import type { FieldName } from "./fields.js";

export const MAX_VALUE_LENGTH = 500;

// Tabs and line breaks become spaces so words stay apart; other C0/C1 controls,
// the BOM and lone surrogates (unencodable in UTF-8) are dropped.
const LINE_CONTROLS = /[\t\n\v\f\r\u0085\u2028\u2029]/g;
const OTHER_CONTROLS = /[\p{Cc}\uFEFF\p{Cs}]/gu;
const WHITESPACE_RUN = /\s+/g;

// Most values are already clean; one test spares four replaces.
const NEEDS_CLEANING = /[\x00-\x1f\x7f-\x9f\u2028\u2029\uFEFF\uD800-\uDFFF]|\s\s|^\s|\s$/;

/** Trim, drop control characters, collapse whitespace, cap at 500 characters. */
export function cleanValue(raw: string): string {
  if (raw.length <= MAX_VALUE_LENGTH && !NEEDS_CLEANING.test(raw)) return raw;
  let s = raw.length > MAX_VALUE_LENGTH * 4 ? raw.slice(0, MAX_VALUE_LENGTH * 4) : raw;
  s = s.replace(LINE_CONTROLS, " ").replace(OTHER_CONTROLS, "").replace(WHITESPACE_RUN, " ").trim();
  if (s.length > MAX_VALUE_LENGTH) s = capCodePoints(s, MAX_VALUE_LENGTH).trim();
  return s;
}

function capCodePoints(s: string, max: number): string {
  const cut = s.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  // Never leave half a surrogate pair behind.
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

// Only the Latin/Greek/Cyrillic combining accents are folded away; marks such as
// the Japanese voicing marks change the word and are kept.
const COMBINING_ACCENTS = /[\u0300-\u036f]/g;
const APOSTROPHES = /['\u2018\u2019\u02bc`\u00b4]/g;
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}\p{M}]+/gu;

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const ASCII_APOSTROPHES = /['`]/g;
const NOT_ASCII_ALNUM = /[^a-z0-9]+/g;

/** Case-, accent-, width-, whitespace- and punctuation-insensitive key for text. */
export function foldText(value: string): string {
  if (PRINTABLE_ASCII.test(value)) {
    return value.toLowerCase().replace(ASCII_APOSTROPHES, "").replace(NOT_ASCII_ALNUM, " ").trim();
  }
  return value
    .normalize("NFKD")
    .replace(COMBINING_ACCENTS, "")
    .toLowerCase()
    .replace(/ß/g, "ss")
    .replace(APOSTROPHES, "")
    .replace(NOT_LETTER_OR_DIGIT, " ")
    .trim();
}

const NAME_SUFFIXES = new Set(["jr", "sr", "ii", "iii", "iv", "phd", "md", "esq"]);

/**
 * Key for a person: "Tolkien, J.R.R." groups with "J.R.R. Tolkien". Only a
 * one-word surname before a single comma is swapped, so a list such as
 * "Douglas Preston, Lincoln Child" keeps its order.
 */
export function foldPersonName(value: string): string {
  const comma = value.indexOf(",");
  if (comma < 0 || value.indexOf(",", comma + 1) >= 0) return foldText(value);
  const surname = foldText(value.slice(0, comma));
  const given = foldText(value.slice(comma + 1));
  if (surname === "" || given === "" || surname.includes(" ") || NAME_SUFFIXES.has(given)) return foldText(value);
  let words = 1;
  for (let i = 0; i < given.length; i++) if (given.charCodeAt(i) === 32) words++;
  return words <= 4 ? `${given} ${surname}` : foldText(value);
}

const NUMBER_WORDS: Record<string, string> = {
  zero: "0", one: "1", two: "2", three: "3", four: "4", five: "5", six: "6",
  seven: "7", eight: "8", nine: "9", ten: "10", eleven: "11", twelve: "12",
  first: "1", second: "2", third: "3", fourth: "4", fifth: "5", sixth: "6",
  seventh: "7", eighth: "8", ninth: "9", tenth: "10",
};
const ROMAN_VALUES: Record<string, number> = { i: 1, v: 5, x: 10 };
const SERIES_NUM_PATTERN =
  /^(?:(?:book|bk|volume|vol|v|number|num|no|nr|part|pt|episode|ep|tome|band|teil|livre|libro)(?:\.\s*|\s+|(?=\d)|\s*(?=#))|)(?:#\s*)?(\d{1,4}(?:[.,]\d+)?|[ivx]{1,6}|[a-z]{3,7})\.?(?:\s*(?:of|\/)\s*\d+)?$/;

/** "Book 02" → "2", "#2.50" → "2.5", "Part IV" → "4", "Book One" → "1"; null when not a number. */
export function parseSeriesNum(value: string): string | null {
  const m = SERIES_NUM_PATTERN.exec(value.trim().toLowerCase());
  if (m === null) return null;
  const token = m[1];
  const first = token.charCodeAt(0);
  if (first >= 48 && first <= 57) return canonicalDecimal(token.replace(",", "."));
  return NUMBER_WORDS[token] ?? romanToString(token);
}

function canonicalDecimal(s: string): string {
  const dot = s.indexOf(".");
  const intPart = (dot < 0 ? s : s.slice(0, dot)).replace(/^0+(?=\d)/, "");
  const frac = dot < 0 ? "" : s.slice(dot + 1).replace(/0+$/, "");
  return frac === "" ? intPart : `${intPart}.${frac}`;
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
  const tens = ["", "x", "xx", "xxx"][Math.floor(n / 10)] ?? "";
  const ones = ["", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"][n % 10];
  return tens + ones;
}

export const MIN_YEAR = 1000;
export const MAX_YEAR = 2100;
const YEAR_FIRST =
  /^[[(]?(?:ca\.?|c\.?|©|℗|p)?\s*(\d{4})(?:[-./]\d{1,2}(?:[-./]\d{1,2})?)?(?:[T ][\d:.+\-z]*)?[\])]?$/i;
const YEAR_LAST = /^\d{1,2}[-./]\d{1,2}[-./](\d{4})$/;

/** "1999", "(1999)", "1999-05-12", "12/05/1999", "©1999" → "1999"; null when no plausible year. */
export function parseYear(value: string): string | null {
  const s = value.trim();
  const m = YEAR_FIRST.exec(s) ?? YEAR_LAST.exec(s);
  if (m === null) return null;
  const year = Number(m[1]);
  return year >= MIN_YEAR && year <= MAX_YEAR ? m[1] : null;
}

// ISO 639-1 code first, then ISO 639-2 codes and names (English and native).
const LANGUAGE_TABLE: string[][] = [
  ["en", "eng", "english"],
  ["de", "deu", "ger", "german", "deutsch"],
  ["fr", "fra", "fre", "french", "francais"],
  ["es", "spa", "spanish", "espanol", "castellano"],
  ["it", "ita", "italian", "italiano"],
  ["nl", "nld", "dut", "dutch", "nederlands", "flemish"],
  ["pt", "por", "portuguese", "portugues"],
  ["ru", "rus", "russian", "русский"],
  ["ja", "jpn", "japanese", "日本語"],
  ["zh", "zho", "chi", "chinese", "mandarin", "中文"],
  ["ko", "kor", "korean", "한국어"],
  ["pl", "pol", "polish", "polski"],
  ["sv", "swe", "swedish", "svenska"],
  ["da", "dan", "danish", "dansk"],
  ["no", "nor", "nob", "nno", "norwegian", "norsk"],
  ["fi", "fin", "finnish", "suomi"],
  ["cs", "ces", "cze", "czech", "cestina"],
  ["hu", "hun", "hungarian", "magyar"],
  ["tr", "tur", "turkish", "turkce"],
  ["el", "ell", "gre", "greek"],
  ["uk", "ukr", "ukrainian"],
  ["ar", "ara", "arabic"],
  ["he", "heb", "hebrew"],
  ["hi", "hin", "hindi"],
  ["la", "lat", "latin"],
  ["ca", "cat", "catalan", "catala"],
  ["ro", "ron", "rum", "romanian"],
];
const LANGUAGE_CODES = new Map<string, string>();
for (const [code, ...aliases] of LANGUAGE_TABLE) {
  LANGUAGE_CODES.set(code, code);
  for (const alias of aliases) LANGUAGE_CODES.set(alias, code);
}

/** Known languages → ISO 639-1 code ("English", "eng", "en-US" → "en"); others → folded name. */
export function normalizeLanguage(value: string): string {
  const key = foldText(value);
  const known = LANGUAGE_CODES.get(key);
  if (known !== undefined) return known;
  // Region or script subtags: "en us", "pt br", "zh hant".
  const space = key.indexOf(" ");
  if (space > 0) {
    const primary = LANGUAGE_CODES.get(key.slice(0, space));
    if (primary !== undefined && key.length - space <= 5) return primary;
  }
  return key;
}

// Keys are recomputed for every resolve of every book; the same strings recur
// (the very string objects stored in evidence), so a bounded cache per field
// pays for itself: V8 keeps a string's hash, making the lookup nearly free.
const KEY_CACHE_LIMIT = 20_000;
const keyCaches = new Map<FieldName, Map<string, string>>();

/** The grouping key of a value for a field (see module comment). */
export function normalizeKey(field: FieldName, value: string): string {
  let cache = keyCaches.get(field);
  if (cache === undefined) keyCaches.set(field, (cache = new Map()));
  const hit = cache.get(value);
  if (hit !== undefined) return hit;
  const key = computeKey(field, value);
  if (cache.size >= KEY_CACHE_LIMIT) cache.clear();
  cache.set(value, key);
  return key;
}

function computeKey(field: FieldName, value: string): string {
  switch (field) {
    case "series_num":
      return parseSeriesNum(value) ?? foldText(value);
    case "year":
      return parseYear(value) ?? foldText(value);
    case "language":
      return normalizeLanguage(value);
    case "author":
    case "narrator":
      return foldPersonName(value);
    default:
      return foldText(value);
  }
}

/** Fields whose displayed value is the canonical key rather than a raw spelling. */
export function displaysCanonical(field: FieldName): boolean {
  return field === "series_num" || field === "year" || field === "language";
}
