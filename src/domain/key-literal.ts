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
