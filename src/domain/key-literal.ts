/**
 * Whether a literal in text that is shown everywhere (an HTTP source's URL path, name, description) looks like an
 * API key: config.json is printed by `sources list`, `status`, the pages and every support paste, and masks only
 * values secrets.json holds, so a key written there is shown to anyone. Refused rather than masked: a mask would
 * have to guess at every place the text is shown, and the key would still sit in a file that is not private.
 */
import { lazyRegExp } from "./lazy-regexp.js";

/** Spellings services give their keys: Stripe's sk_live_/pk_test_, OpenAI's sk-, Google's AIza, GitHub's, Slack's, GitLab's. */
const KNOWN_KEY = lazyRegExp(
  () => /^(?:(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{6,}|sk-[A-Za-z0-9_-]{16,}|AIza[0-9A-Za-z_-]{20,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_\w{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|glpat-[A-Za-z0-9_-]{16,})/,
);
/** A long run of key characters: what a generated token is (names and words are not this long without a space). */
const TOKEN = lazyRegExp(() => /^[A-Za-z0-9_\-+~]{24,}$/);

/** Whether `token` (one word, one path segment) looks like a key. */
export function looksLikeKey(token: string): boolean {
  if (KNOWN_KEY().test(token)) return true;
  // Mixed case with digits, switching between them all along: a generated token. A UUID or a hex digest (an id a
  // path often holds) has one case only; a word run together ("AudiobookshelfProvider2024") switches a few times.
  return TOKEN().test(token) && /\d/.test(token) && /[a-z]/.test(token) && /[A-Z]/.test(token) && classSwitches(token) >= 8;
}

/** How often the character class (lower case, upper case, digit, other) changes along the text. */
function classSwitches(text: string): number {
  const classOf = (c: string) => (c >= "a" && c <= "z" ? 0 : c >= "A" && c <= "Z" ? 1 : c >= "0" && c <= "9" ? 2 : 3);
  let switches = 0;
  for (let i = 1; i < text.length; i++) if (classOf(text[i]!) !== classOf(text[i - 1]!)) switches++;
  return switches;
}

/**
 * A run of 32 or more hex digits with letters and digits in it (TMDB's and Last.fm's keys, Mailgun's `key-…`, an MD5
 * or SHA digest): in a URL's path it is a key far more often than an id. A UUID written with its dashes
 * (8-4-4-4-12, Audiobookshelf's library ids), an ObjectId (24), an ISBN or an ASIN is shorter or broken by dashes.
 */
const HEX_RUN = lazyRegExp(() => /(?:^|[^0-9A-Za-z])([0-9A-Fa-f]{32,})(?![0-9A-Za-z])/);
/** A run of 32 or more letters and digits (base64, base32, a random token in one letter case). */
const ALNUM_RUN = lazyRegExp(() => /[0-9A-Za-z]{32,}/g);

/**
 * Whether a URL path segment holds a key: a known key's spelling, a long mixed-case token (looksLikeKey), a long
 * hex run, or a run of 32+ letters and digits that switches between letters and digits 8 times or more (a word or a
 * slug does not: "AudiobookshelfCompatibleProvider2024" switches once).
 */
export function pathSegmentHoldsKey(segment: string): boolean {
  if (looksLikeKey(segment)) return true;
  const hex = HEX_RUN().exec(segment)?.[1];
  if (hex !== undefined && /\d/.test(hex) && /[a-f]/i.test(hex)) return true;
  for (const run of segment.match(ALNUM_RUN()) ?? []) {
    if (/\d/.test(run) && /[a-z]/i.test(run) && letterDigitSwitches(run) >= 8) return true;
  }
  return false;
}

function letterDigitSwitches(text: string): number {
  let switches = 0;
  for (let i = 1; i < text.length; i++) if ((text[i]! <= "9") !== (text[i - 1]! <= "9")) switches++;
  return switches;
}

/** A value in the place a key goes (after a `key=` or a `/key/` segment): 8 or more characters, no space, a digit or both cases. */
export function keyLikeValue(value: string): boolean {
  return value.length >= 8 && !/\s/.test(value) && (/\d/.test(value) || (/[a-z]/.test(value) && /[A-Z]/.test(value)));
}

/** What ends a word, and the parts of a URL or a JWT (a key holds none of these). */
const WORD_BREAK = lazyRegExp(() => /[\s"'`()<>[\]{},;:!?&#|*/=@.%\\]+/);

/** Whether free text (a name, a description) holds a word that looks like a key; a URL in it is read per part. */
export function textHoldsKey(text: string): boolean {
  return text.split(WORD_BREAK()).some(looksLikeKey);
}
