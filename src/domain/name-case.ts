/**
 * "STEPHEN KING - THE STAND", "stephen king/the stand": a name written all in capitals or all in lower case says
 * nothing of how its words are spelled, so the path layer gives it the case a library shows: each word capitalised,
 * a title's small words lower after its first, a person's particles ("van der", "de la") lower inside the name,
 * "McDonald", "O'Brien", initials ("J.R.R.") and Roman numerals ("II") as written, and known acronyms ("FBI") kept.
 * A name in mixed case ("iZombie") is never touched, nor one word in capitals ("TKKG"), a script without case, markup.
 */
import { isNameParticle } from "./person-name.js";
import { lazyRegExp } from "./lazy-regexp.js";

const HAS_UPPER = lazyRegExp(() => /\p{Lu}/u);
const HAS_LOWER = lazyRegExp(() => /\p{Ll}/u);
const WORD = lazyRegExp(() => /[\p{L}\p{M}][\p{L}\p{M}'’]*/gu);
// A letter no case applies to ("容疑者Xの献身"), markup or code ("<script>", "${jndi:…}", "%2e"), or a run no word is
// that long: the value is kept exactly as written.
const KEEP_AS_WRITTEN = lazyRegExp(() => /\p{Lo}|[<>{}$%=;\\]|[\p{L}\p{M}]{40}/u);
const VOWEL = lazyRegExp(() => /[aeiouyäöüåæøéèêàáâíìîóòôúùû]/iu);
const ROMAN = /^(?:x{0,3})(?:ix|iv|v?i{0,3})$/iu;
// English, German, Dutch, French, Spanish, Italian small words a title keeps in lower case after its first word.
const SMALL_WORDS = new Set(
  "a an and as at but by for from in into nor of on or the to with vs via und oder der die das des dem den ein eine einer im am vom zum zur von het een en op la le les de du des et au aux un une el los las y del il lo gli e di da".split(" "),
);
// Acronyms a name written in capitals keeps; all-lower names spell them so only by a slip.
const ACRONYMS = new Set("fbi cia nsa nasa usa uk uss ussr eu bbc cbs nbc abc dna ai wwi wwii nyc ufo kgb mi5 mi6 tv".split(" "));

export type CaseKind = "person" | "title";

/**
 * `value` recased when it is written wholly in one case; otherwise as it is. `shouted`: the whole path is in capitals,
 * so even one word in capitals ("WATCHERS - DEAN KOONTZ") is no spelling of its own.
 */
export function withNameCase(value: string, kind: CaseKind, shouted = false): string {
  const upper = HAS_UPPER().test(value);
  const lower = HAS_LOWER().test(value);
  if (upper === lower || KEEP_AS_WRITTEN().test(value)) return value;
  // "TKKG", "X-MEN", "NOS4A2": one word in capitals is the series' or the book's own spelling, most often an acronym.
  if (upper && !shouted && !value.includes(" ")) return value;
  let first = true;
  return value.replace(WORD(), (word, offset: number, whole: string) => {
    const lead = first;
    first = false;
    const before = whole[offset - 1];
    const after = whole[offset + word.length];
    // A letter glued to digits ("NOS4A2") or to dots ("J.R.R.", "U.S.") is a code or initials: capitals.
    if ((before !== undefined && /\d/u.test(before)) || (after !== undefined && /\d/u.test(after))) return word.toUpperCase();
    if (after === "." && word.length === 1) return word.toUpperCase();
    const lowerWord = word.toLowerCase();
    if (word.length > 1 && ROMAN.test(word)) return word.toUpperCase();
    // "TKKG", "BBC": a word in capitals with no vowel is read letter by letter.
    if (upper && (ACRONYMS.has(lowerWord) || !VOWEL().test(word))) return word;
    // A word after a dash or a colon opens a piece of its own ("THE STAND - CAPTAIN TRIPS").
    const opensPiece = lead || /[-–—:(/[]\s*$/u.test(whole.slice(Math.max(0, offset - 3), offset));
    if (!opensPiece && kind === "title" && SMALL_WORDS.has(lowerWord)) return lowerWord;
    if (!opensPiece && kind === "person" && isNameParticle(lowerWord) && lowerWord !== "mac") return lowerWord;
    return capitalised(lowerWord);
  });
}

function capitalised(word: string): string {
  const head = word.charAt(0).toUpperCase() + word.slice(1);
  // "McDonald", "O'Brien", "D'Angelo": the letter after the prefix is a capital too.
  const prefix = /^(?:mc|o['’]|d['’])/iu.exec(word);
  if (prefix !== null && word.length > prefix[0].length + 1) {
    const at = prefix[0].length;
    return head.slice(0, at) + head.charAt(at).toUpperCase() + head.slice(at + 1);
  }
  return head;
}
