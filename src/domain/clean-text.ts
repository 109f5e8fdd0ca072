/**
 * The one text cleaner for anything read from outside (folder names, tags,
 * sidecars, web answers): every reader phrases the same text the same way.
 */
import { lazyRegExp } from "./lazy-regexp.js";

// Line breaks and tabs separate words, and so do NUL (ID3v2.4 and C strings put
// it between values: "A\0B" is two names, not "AB") and the information separators.
const SEPARATORS = /[\t\n\v\f\r\u0000\u001c-\u001f\u0085\u2028\u2029]/g;
// Other controls, invisible format characters (soft hyphen, zero-width space,
// direction marks and overrides, BOM) and lone surrogates (unencodable in
// UTF-8) are dropped: they sit inside words without showing. ZWJ and ZWNJ are
// kept because they shape emoji and Indic or Persian words.
const INVISIBLE = lazyRegExp(() => /[\p{Cc}\u00AD\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\p{Cs}]/gu);
// An invisible character between a word's end and a capital ("Scott\u202EBrick", "Scott\u200BBrick") sits where the
// two names meet: what shows is two words run together (reversed, for an override), and "ScottBrick" was a narrator
// no other source names. It becomes the space the words need. Inside a word ("Bri\u202Eck") and beside a space it
// is dropped as before, and in scripts with no capitals (Thai writes no spaces, a zero-width space marks its word
// breaks) nothing is added. Soft hyphens are left out: they mark a break inside one word.
const BETWEEN_WORDS = lazyRegExp(() => /(?<=\p{Ll})[\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]+(?=\p{Lu})/gu);
const WHITESPACE_RUN = /\s+/g;
// ZWJ and ZWNJ stay only where they change what shows: inside a word of a script whose letters join or form
// conjuncts (Persian "کتاب\u200cها", Kurdish, Urdu, Hindi "क्\u200dष", Bengali, Sinhala...), and ZWJ inside an emoji
// sequence ("👩\u200d💻"). Anywhere else they join nothing: beside a space, an edge, a digit or punctuation, or
// between Latin, Greek or Cyrillic letters ("Frank\u200d Herbert", "Пу\u200cшкин"), they go, or a name with one
// would be a second, invisibly different folder beside the plain one.
const JOINER_RUN = /[\u200c\u200d]+/g;
const JOINING_SCRIPT = lazyRegExp(
  () =>
    /[\p{scx=Arabic}\p{scx=Syriac}\p{scx=Thaana}\p{scx=Nko}\p{scx=Mongolian}\p{scx=Adlam}\p{scx=Hanifi_Rohingya}\p{scx=Mandaic}\p{scx=Manichaean}\p{scx=Psalter_Pahlavi}\p{scx=Phags_Pa}\p{scx=Devanagari}\p{scx=Bengali}\p{scx=Gurmukhi}\p{scx=Gujarati}\p{scx=Oriya}\p{scx=Tamil}\p{scx=Telugu}\p{scx=Kannada}\p{scx=Malayalam}\p{scx=Sinhala}\p{scx=Tibetan}\p{scx=Myanmar}\p{scx=Khmer}\p{scx=Balinese}\p{scx=Javanese}\p{scx=Sundanese}\p{scx=Tai_Tham}\p{scx=Limbu}\p{scx=Newa}\p{scx=Tirhuta}\p{scx=Sharada}\p{scx=Grantha}\p{scx=Chakma}\p{scx=Kaithi}\p{scx=Brahmi}\p{Mn}\p{Mc}]/u,
);
const EMOJI_BEFORE_JOINER = lazyRegExp(() => /[\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F]/u);
const EMOJI_AFTER_JOINER = lazyRegExp(() => /\p{Extended_Pictographic}/u);

/** s without the joiners that join nothing shown (see JOINING_SCRIPT's comment). */
function withoutStrayJoiners(s: string): string {
  return s.replace(JOINER_RUN, (run: string, at: number) => {
    if (at === 0 || at + run.length === s.length) return "";
    const before = [...s.slice(Math.max(0, at - 2), at)].pop()!;
    const after = String.fromCodePoint(s.codePointAt(at + run.length)!);
    if (JOINING_SCRIPT().test(before) && JOINING_SCRIPT().test(after)) return run;
    return !run.includes("\u200c") && EMOJI_BEFORE_JOINER().test(before) && EMOJI_AFTER_JOINER().test(after) ? run : "";
  });
}
// Terminal escape sequences (colour "\e[31m", title "\e]0;...\a") go whole: dropping only their ESC left "[31m" in a title.
const ESCAPE_SEQUENCE = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-Z\\-_])/g;
// Most text is already clean; one test spares the replaces. Space is the only
// whitespace outside the class, so doubled or edge spaces are all left to find.
const NEEDS_CLEANING =
  /[\x00-\x1f\x7f-\xa0\u00AD\u1680\u2000-\u200D\u200E\u200F\u2028-\u202F\u205F-\u2064\u2066-\u2069\u3000\uFEFF\uD800-\uDFFF]| {2}|^ | $/;

/** Trim, drop control and invisible characters, collapse whitespace, cap at maxLength without splitting a surrogate pair. */
export function cleanString(raw: string, maxLength: number): string {
  if (raw.length <= maxLength && !NEEDS_CLEANING.test(raw)) return raw;
  // Bounds the regex work on hostile input; cleaning rarely shrinks text by 4x.
  let s = raw.length > maxLength * 4 ? raw.slice(0, maxLength * 4) : raw;
  if (s.includes("\u001b")) s = s.replace(ESCAPE_SEQUENCE, "");
  s = s.replace(SEPARATORS, " ").replace(BETWEEN_WORDS(), " ").replace(INVISIBLE(), "");
  s = s.replace(WHITESPACE_RUN, " ").trim();
  if (s.includes("\u200c") || s.includes("\u200d")) s = withoutStrayJoiners(s).trim();
  return s.length > maxLength ? capLength(s, maxLength).trim() : s;
}

/** The first max UTF-16 units of s, one fewer when the cut would split a surrogate pair. */
export function capLength(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}
