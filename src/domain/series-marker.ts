/**
 * Series positions written into names: "Mistborn, Book 2", "Vol. 3", "#3",
 * "The Expanse 01". Numbers come back without leading zeros ("01" -> "1").
 */

export type MarkerKind = "keyword" | "hash" | "padded" | "bare";

export interface Marker {
  /** Text before the marker (series name, or a title for "Title #3"); may be empty. */
  prefix: string;
  num: string;
  kind: MarkerKind;
}

const WORD_NUMBERS: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17,
  eighteen: 18, nineteen: 19, twenty: 20,
};
const ROMAN_NUMBERS: Record<string, number> = {
  i: 1, ii: 2, iii: 3, iv: 4, v: 5, vi: 6, vii: 7, viii: 8, ix: 9, x: 10,
  xi: 11, xii: 12, xiii: 13, xiv: 14, xv: 15, xvi: 16, xvii: 17, xviii: 18, xix: 19, xx: 20,
};

const NUMBER = String.raw`\d{1,4}(?:\.\d{1,2})?`;
const KEYWORD_NUMBER = `(${NUMBER}|[ivx]{1,5}|${Object.keys(WORD_NUMBERS).join("|")})`;
const KEYWORD = String.raw`(?<!\p{L})(?:book|bk|vol(?:ume)?|tome)\.?`;
const KEYWORD_END = new RegExp(String.raw`^(.*?)[\s,:;([-]*${KEYWORD}\s*${KEYWORD_NUMBER}\s*[)\]]?$`, "iu");
const HASH_END = new RegExp(String.raw`^(.*?)[\s,]*#\s*(${NUMBER})$`, "u");
const PADDED_END = /^(.+?)[\s,]+(0\d{1,2}(?:\.\d{1,2})?)$/u;
const BARE_END = /^(.+?)[\s,]+(\d{1,2}(?:\.\d{1,2})?)$/u;
/** Every marker has a digit or a keyword; most names have neither, so skip the long patterns. */
const MARKER_HINT = /\d|book|bk|vol|tome/i;
const LEAD_ZEROS = /^0+(?=\d)/;
const EDGE = /^[\s,:;\-–—]+|[\s,:;\-–—]+$/gu;

/**
 * Finds a series position at the end of `text`. `allowBare` also accepts a
 * plain small number ("Mistborn 1"), which is only safe where a title cannot
 * be ("Catch 22", "Apollo 13" are titles).
 */
export function findMarker(text: string, allowBare: boolean): Marker | null {
  if (!MARKER_HINT.test(text)) return null;
  const keyword = KEYWORD_END.exec(text);
  if (keyword) {
    const num = keywordNumber(keyword[2]);
    if (num !== null) return { prefix: clean(keyword[1]), num, kind: "keyword" };
  }
  const hash = HASH_END.exec(text);
  if (hash) return { prefix: clean(hash[1]), num: normalizeNum(hash[2]), kind: "hash" };
  const padded = PADDED_END.exec(text);
  if (padded) return { prefix: clean(padded[1]), num: normalizeNum(padded[2]), kind: "padded" };
  if (allowBare) {
    const bare = BARE_END.exec(text);
    if (bare) return { prefix: clean(bare[1]), num: normalizeNum(bare[2]), kind: "bare" };
  }
  return null;
}

/** "01" -> "1", "01.5" -> "1.5"; keeps "0" and decimals as written. */
export function normalizeNum(num: string): string {
  return num.replace(LEAD_ZEROS, "");
}

function keywordNumber(raw: string): string | null {
  const lower = raw.toLowerCase();
  if (lower in WORD_NUMBERS) return String(WORD_NUMBERS[lower]);
  if (lower in ROMAN_NUMBERS) return String(ROMAN_NUMBERS[lower]);
  return /^\d/.test(lower) ? normalizeNum(lower) : null;
}

function clean(s: string): string {
  return s.replace(EDGE, "").trim();
}
