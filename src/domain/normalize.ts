/**
 * Value cleaning and the normalized keys evidence is grouped by. Two claims
 * agree when their keys are equal, so "The Hobbit", "the hobbit" and
 * "THE HOBBIT." count as one value; "Book 02" and "2" as one series number.
 */
import { lazyRegExp } from "./lazy-regexp.js";
import { cleanString } from "./clean-text.js";
import type { FieldName } from "./fields.js";
import { parseSeriesNum } from "./series-num.js";
import { parseYear } from "./year.js";
import { PEOPLE_LIST_HINT, splitAuthors } from "./person-name.js";

// Callers that grouped these under "normalize" keep importing them from here.
export { parseSeriesNum } from "./series-num.js";
export { parseYear } from "./year.js";

export const MAX_VALUE_LENGTH = 500;

/** Trim, drop control characters, collapse whitespace, cap at 500 characters. */
export function cleanValue(raw: string): string {
  return cleanString(raw, MAX_VALUE_LENGTH);
}

// Only the Latin/Greek/Cyrillic combining accents are folded away; marks such as
// the Japanese voicing marks change the word and are kept.
const COMBINING_ACCENTS = /[\u0300-\u036f]/g;
const APOSTROPHES = /['\u2018\u2019\u02bc`\u00b4]/g;
const NOT_LETTER_OR_DIGIT = lazyRegExp(() => /[^\p{L}\p{N}\p{M}]+/gu);

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
    .replace(NOT_LETTER_OR_DIGIT(), " ")
    .trim();
}

const NAME_SUFFIXES = new Set(["jr", "sr", "ii", "iii", "iv", "phd", "md", "esq"]);
/** Words that start a surname ("Le Guin", "van der Berg", "du Maurier"). */
const SURNAME_PARTICLES = new Set(["le", "la", "de", "du", "des", "del", "della", "di", "da", "van", "von", "der", "den", "ter", "st", "mac", "o"]);

/** A surname: one word, or particles followed by one word ("le guin", "van der berg"). */
function isSurname(folded: string): boolean {
  const words = folded.split(" ");
  return words.slice(0, -1).every((word) => SURNAME_PARTICLES.has(word));
}

/**
 * Key for a person: "Tolkien, J.R.R." groups with "J.R.R. Tolkien" and "Le Guin,
 * Ursula K." with "Ursula K. Le Guin". Only a surname (one word, after any
 * particles) before a single comma is swapped, so a list such as
 * "Douglas Preston, Lincoln Child" keeps its order.
 */
export function foldPersonName(raw: string): string {
  // "JRR Tolkien" and "TJ Klune" are initials written without dots: "J. R. R. Tolkien", "T.J. Klune".
  const value = GLUED_INITIALS_HINT().test(raw) && raw !== raw.toUpperCase() ? raw.replace(GLUED_INITIALS(), spaceInitials) : raw;
  const comma = value.indexOf(",");
  if (comma < 0 || value.indexOf(",", comma + 1) >= 0) return foldPersonList(value);
  const surname = foldText(value.slice(0, comma));
  const given = foldText(value.slice(comma + 1));
  if (surname === "" || given === "" || !isSurname(surname) || NAME_SUFFIXES.has(given)) return foldPersonList(value);
  let words = 1;
  for (let i = 0; i < given.length; i++) if (given.charCodeAt(i) === 32) words++;
  return words <= 4 ? `${given} ${surname}` : foldPersonList(value);
}

const GLUED_INITIALS_HINT = lazyRegExp(() => /\p{Lu}\p{Lu}/u);
const GLUED_INITIALS = lazyRegExp(() => /(?<![\p{L}.])(\p{Lu}{2,3})(?=\s+\p{Lu}\p{Ll}|\s*$)/gu);
const LIST_AND = / and /g;

function spaceInitials(initials: string): string {
  return initials.split("").join(" ");
}

/** "Neil Gaiman and Terry Pratchett" groups with "Neil Gaiman & Terry Pratchett" (the "&" folds away as punctuation). */
function foldPersonList(value: string): string {
  const key = foldText(value);
  return key.includes(" and ") ? key.replace(LIST_AND, " ") : key;
}

const PEOPLE_HINT = PEOPLE_LIST_HINT;

/**
 * Key for a person or a list of people. A list is the same people in any
 * order and spelling: "Terry Pratchett & Neil Gaiman", "Gaiman, Neil; Pratchett,
 * Terry" and "Neil Gaiman and Terry Pratchett" are one value; a list and one
 * of its people are not.
 */
export function foldPeople(value: string): string {
  if (PEOPLE_HINT.test(value)) {
    const names = splitAuthors(value);
    if (names !== null && names.length > 1) return [...new Set(names.map(foldPersonName))].sort().join(" ; ");
  }
  return foldPersonName(value);
}

// ISO 639-1 code first, then ISO 639-2 codes and names (English and native).
const LANGUAGE_TABLE: string[][] = [
  ["en", "eng", "english"],
  ["de", "deu", "ger", "german", "deutsch"],
  ["fr", "fra", "fre", "french", "francais"],
  // "esp": Spanish trackers' tag ("[ESP]"), no ISO code of another language.
  ["es", "spa", "esp", "spanish", "espanol", "castellano"],
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
  ["is", "isl", "ice", "icelandic", "islenska"],
];
let languageCodes: Map<string, string> | null = null;
/**
 * Name or code → code, keyed as lookups fold what they look up: "русский" folds to "русскии" and "한국어" to its
 * jamo, so keyed as written they never matched. Built at the first lookup (foldText at start-up costs).
 */
function languageCodeMap(): Map<string, string> {
  if (languageCodes !== null) return languageCodes;
  languageCodes = new Map<string, string>();
  for (const [code, ...aliases] of LANGUAGE_TABLE) {
    languageCodes.set(code, code);
    for (const alias of aliases) languageCodes.set(foldText(alias), code);
  }
  return languageCodes;
}

/**
 * The ISO 639-1 code of a known language name or code ("German", "Deutsch",
 * "ger", "DE"), or null. Two-letter codes only when `twoLetter` is set: in a
 * folder name "(It)" is a title, "[DE]" a language.
 */
export function knownLanguage(word: string, twoLetter = false): string | null {
  const key = foldText(word);
  if (key.length === 2 && !twoLetter) return null;
  return languageCodeMap().get(key) ?? null;
}

/**
 * The known language names and codes, for saying what a value shelfwise does not know could have been
 * ("english", "en", "eng", "deutsch", ...): the forms normalizeLanguage turns into a code.
 */
export function knownLanguageForms(): string[] {
  return LANGUAGE_TABLE.flat();
}

/** Whether normalizeLanguage made `value` a known language's ISO 639-1 code (rather than keeping it folded). */
export function isKnownLanguage(value: string): boolean {
  const code = normalizeLanguage(value);
  return languageCodeMap().get(code) === code;
}

/** Known languages → ISO 639-1 code ("English", "eng", "en-US" → "en"); others → folded name. */
export function normalizeLanguage(value: string): string {
  const key = foldText(value);
  const known = languageCodeMap().get(key);
  if (known !== undefined) return known;
  // Region or script subtags: "en us", "pt br", "zh hant".
  const space = key.indexOf(" ");
  if (space > 0) {
    const primary = languageCodeMap().get(key.slice(0, space));
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
      return foldPeople(value);
    default:
      return foldText(value);
  }
}

/** Fields whose displayed value is the canonical key rather than a raw spelling. */
export function displaysCanonical(field: FieldName): boolean {
  return field === "series_num" || field === "year" || field === "language";
}
