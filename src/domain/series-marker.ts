/**
 * Series positions written into names: "Mistborn, Book 2", "Vol. 3", "#3",
 * "The Expanse 01". Numbers come back canonical ("01" -> "1", "Two" -> "2").
 */
import { lazyRegExp } from "./lazy-regexp.js";
import { canonicalNumber, FOREIGN_ORDINALS, FOREIGN_POSITION_WORDS, NUMBER_WORDS, POSITION_RANGE, seriesNumToken } from "./series-num.js";
import { endsWithShelfWord } from "./series-shelf.js";
import { DISC_WORDS, PIECE_WORDS } from "./part-words.js";

export type MarkerKind = "keyword" | "hash" | "padded" | "bare";

export interface Marker {
  /** Text before the marker (series name, or a title for "Title #3"); may be empty. */
  prefix: string;
  num: string;
  kind: MarkerKind;
}

const NUMBER = String.raw`${POSITION_RANGE}|\d{1,4}(?:\.\d{1,2})?`;
const KEYWORD_NUMBER = `(${NUMBER}|[ivxl]{1,7}|${Object.keys(NUMBER_WORDS).join("|")})`;
const KEYWORD = String.raw`(?<!\p{L})(?:books?|bk|vol(?:ume)?s?|tome|${FOREIGN_POSITION_WORDS})\.?`;
// "Book the Third": an English ordinal may take its article after the volume word.
const KEYWORD_END = lazyRegExp(() => new RegExp(String.raw`^(.*?)[\s,:;([-]*${KEYWORD}\s*(?:the\s+)?${KEYWORD_NUMBER}\s*[)\]]?$`, "iu"));
/** "Die Saga - Erster Band", "Первая книга", "Premier tome": an ordinal before its volume word. */
const ORDINAL_KEYWORD_END = lazyRegExp(() => new RegExp(String.raw`^(.*?)[\s,:;([-]*(?<!\p{L})(${ORDINAL_KEYS})\s+(?:tome|band|buch|libro|tomo|livre|книга|том)\s*[)\]]?$`, "iu"));
// Not English's: "First Book", "The Second Book" are titles and subtitles.
const ORDINAL_KEYS = Object.keys(FOREIGN_ORDINALS).join("|");
const HASH_END = lazyRegExp(() => new RegExp(String.raw`^(.*?)[\s,]*#\s*(${NUMBER})$`, "u"));
const FRENCH_TOME_END = lazyRegExp(() => /^(.*?\p{L}.*?)\s+T\.?(\d{1,3})$/u);
// A comma between digits groups thousands ("Warhammer 40,000"), it does not set off a position.
// "The Wheel of Time 01-03" (an omnibus's zero-padded range) as "Books 1-3" is.
const PADDED_END = lazyRegExp(() => /^(.+?)(?!(?<=\d),\d)[\s,]+(0\d{1,2}(?:\.\d{1,2})?|0\d{1,2}[-–]\d{2,3})$/u);
// "A Song of Ice and Fire 1-5": a rising range of places closing a name of two words or more is an omnibus's, padded
// or not ("Catch-22" has no first number, a year's span has four digits); after one word it may still be a title's own
// code ("Mistborn 1-3", path-analysis.test.ts), read so only where a bare place is (findMarker's allowBare).
const RANGE_END = lazyRegExp(() => /(?<![\s,])[\s,]+(\d{1,3})[-–](\d{1,3})$/u);
const TWO_WORDS = lazyRegExp(() => /\p{L}.*\s.*\p{L}/su);
// "The Martian Part 1-2", "Dune CD 1-3", "Chapters 1-5": a recording's pieces, no places in a series.
const PIECE_BEFORE = lazyRegExp(() => new RegExp(String.raw`(?<!\p{L})(?:${PIECE_WORDS}|${DISC_WORDS}|chapters?|tracks?|kapitel|chapitres?|cap[ií]tulos?|episodes?|folgen?)\.?$`, "iu"));
const BARE_END = lazyRegExp(() => new RegExp(String.raw`^(.+?)(?!(?<=\d),\d)[\s,]+(${POSITION_RANGE}|\d{1,2}(?:\.\d{1,2})?)$`, "u"));
/**
 * "The Jungle Book 2", "The Graveyard Book 2": "Book" closing a title's own noun ("The Jungle Book", "Picture Book") is
 * that title's word, and the number after it the sequel's, no series "The Jungle" numbered by its books' word.
 */
export const BOOK_NOUN_TITLE = lazyRegExp(() => /(?:^|\s)(?:jungle|graveyard|doomsday|picture|story|prayer|guest|cook|recipe|note|sketch|library|little|red|blue|green|yellow|golden|hand|phone|face|pocket|baby|colou?ring|activity|fairy|nonsense)\s+[Bb]ook\s+\d{1,3}$/iu);
/** Every marker has a digit or a keyword; most names have neither, so skip the long patterns. */
// Latin words by their stem, the Cyrillic ones whole: a marker needs its volume word, and these cover every one.
const MARKER_HINT = /\d|book|bk|vol|tom|band|libr|livr|buch|folge|deel|del|boek|bind|книг|том/iu;
const EDGE = /^[\s,:;\-–—]+|[\s,:;\-–—]+$/gu;

/**
 * Finds a series position at the end of `text`. `allowBare` also accepts a
 * plain small number ("Mistborn 1"), which is only safe where a title cannot
 * be ("Catch 22", "Apollo 13" are titles).
 */
export function findMarker(text: string, allowBare: boolean): Marker | null {
  if (!MARKER_HINT.test(text)) return null;
  const keyword = KEYWORD_END().exec(text);
  if (keyword && !namesPerson(keyword[1], text) && !BOOK_NOUN_TITLE().test(text)) {
    const num = seriesNumToken(keyword[2]);
    if (num !== null) return { prefix: clean(keyword[1]), num, kind: "keyword" };
  }
  const ordinal = ORDINAL_KEYWORD_END().exec(text);
  if (ordinal) {
    const num = seriesNumToken(ordinal[2]);
    if (num !== null) return { prefix: clean(ordinal[1]), num, kind: "keyword" };
  }
  // "Les Rois maudits T1", "Adamsberg T03": the French abbreviation of "Tome", only glued to a number after a name.
  const tome = FRENCH_TOME_END().exec(text);
  if (tome) return { prefix: clean(tome[1]), num: canonicalNumber(tome[2]), kind: "keyword" };
  const hash = HASH_END().exec(text);
  if (hash) return { prefix: clean(hash[1]), num: canonicalNumber(hash[2]), kind: "hash" };
  const padded = PADDED_END().exec(text);
  if (padded) return endsWithShelfWord(padded[1]) ? null : { prefix: clean(padded[1]), num: canonicalNumber(padded[2]), kind: "padded" };
  const range = RANGE_END().exec(text);
  const rangeOf = range === null ? "" : text.slice(0, range.index);
  if (range && Number(range[1]) < Number(range[2]) && !rangeOf.endsWith(",") && TWO_WORDS().test(rangeOf) && !endsWithShelfWord(rangeOf) && !PIECE_BEFORE().test(rangeOf)) {
    return { prefix: clean(rangeOf), num: canonicalNumber(`${range[1]}-${range[2]}`), kind: "padded" };
  }
  if (allowBare) {
    const bare = BARE_END().exec(text);
    // "Mistborn Era 2", "Doctor Who Season 2": a shelf inside the series, no book's position.
    if (bare && !endsWithShelfWord(bare[1])) return { prefix: clean(bare[1]), num: canonicalNumber(bare[2]), kind: "bare" };
  }
  return null;
}

/**
 * "Uncle Tom 1", "Major Tom 2": a position word of another language that is also a given name ("Tom", Polish
 * for volume), written as a name after a word that goes before names, is that person's name ("Harry Potter Tom 1"
 * and "Wiedźmin, tom 1" still number a volume).
 */
function namesPerson(prefix: string, text: string): boolean {
  const word = CAPITAL_WORD_AFTER.exec(text.slice(prefix.length));
  if (word === null) return false;
  const before = LAST_WORD().exec(prefix);
  return before !== null && NAME_LEADERS.has(before[1].toLowerCase());
}
const CAPITAL_WORD_AFTER = /^ (Tom)\b/u;
const LAST_WORD = lazyRegExp(() => /(?:^|\s)(\p{L}+\.?)$/u);
/** Words that go before a person's name: kin, ranks, honorifics ("Uncle Tom", "Major Tom", "Saint Tom"). */
const NAME_LEADERS: ReadonlySet<string> = new Set([
  "uncle", "aunt", "auntie", "major", "captain", "colonel", "general", "sergeant", "little", "big", "old", "young", "saint", "st.",
  "sir", "brother", "father", "cousin", "grandpa", "grandma", "granny", "doctor", "dr", "dr.", "mr", "mr.", "king", "prince", "peeping",
]);

/** "01" -> "1", "01.50" -> "1.5": digits as a pattern matched them. */
export const normalizeNum: (digits: string) => string = canonicalNumber;

function clean(s: string): string {
  return s.replace(EDGE, "").trim();
}
