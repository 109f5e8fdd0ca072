import { GIVEN_NAMES } from "./given-names.js";

/**
 * How much a string looks like a person's name, used to tell "Author - Title"
 * from "Title - Author". Higher is more person-like:
 *  -1 title-like (articles, lower-case words, digits, possessives)
 *   0 unknown (one capitalised word: "Watchers", "Homer")
 *   1 "First Last" shape ("Gone Girl" also scores 1)
 *   2 shape plus a known given name ("Gillian Flynn") or "Last, First"
 *   3 shape with initials ("J.R.R. Tolkien", "Ursula K. Le Guin")
 */
export type NameScore = -1 | 0 | 1 | 2 | 3;

const PARTICLES = new Set([
  "de", "da", "di", "del", "della", "der", "den", "van", "von", "du", "le", "la", "al", "el",
  "bin", "ibn", "ten", "ter", "dos", "das", "do", "y", "st.", "af", "zu",
]);
const SUFFIX = /^(?:jr\.?|sr\.?|ii|iii|iv|phd|md)$/i;
const INITIALS = /^(?:\p{Lu}\.\s?){1,4}$|^\p{Lu}$|^\p{Lu}\p{Lu}\.?$/u;
const CAPWORD = /^(?:\p{Lu}[\p{Ll}\p{M}]+|(?:Mc|Mac|O['’]|D['’])\p{Lu}[\p{Ll}\p{M}]+)(?:[-'’]\p{Lu}?[\p{Ll}\p{M}]+)*$/u;
const INNER_CAPS = /^(?:De|Di|Du|La|Le|Van|Von)\p{Lu}[\p{Ll}\p{M}]+$/u;
const POSSESSIVE = /['’]s$/u;
const NOT_NAME_CHARS = /[\p{N}:!?;"()[\]{}#@/\\|*+=<>]/u;
const ARTICLES = new Set(["the", "a", "an", "le", "la", "les", "el", "der", "die", "das"]);
/** Capitalised words common in titles and rare as given names or surnames. */
const TITLE_WORDS = new Set([
  "book", "books", "volume", "vol", "series", "collection", "trilogy", "saga", "chronicles",
  "chronicle", "tales", "tale", "story", "stories", "complete", "edition", "novel", "novels",
  "part", "chapter", "guide", "secret", "secrets", "war", "wars", "life", "love", "death",
  "world", "worlds", "night", "empire", "kingdom", "dragon", "dragons", "magic", "fire", "blood",
  "shadow", "shadows", "stone", "throne", "thrones", "murder", "murders", "mystery", "sun", "moon",
  "stars", "earth", "sky", "sea", "dark", "darkness", "light", "lost", "rising", "game", "games",
  "house", "city", "road", "time", "dead", "girl", "girls", "boy", "boys", "man", "men", "women",
  "woman", "history", "adventures", "adventure", "omnibus", "audiobook", "unabridged", "anthology",
  "my", "your", "our", "his", "her", "their", "how", "why", "what", "when", "who", "where", "this",
  "that", "these", "those", "and", "of", "in", "to", "for", "from", "with", "without", "is", "are",
  "i", "you", "we", "all", "no", "not", "one", "two", "three", "first", "last", "new", "old",
]);

const CASED = /[\p{Lu}\p{Ll}]/u;
const WORD_START = /(^|[\s\-'’.])(\p{Ll})/gu;
const HONORIFICS = new Set(["dr.", "dr", "mr.", "mr", "mrs.", "mrs", "ms.", "ms", "sir", "dame", "prof.", "lord", "lady"]);

/** "DEAN KOONTZ" / "dean koontz" read as "Dean Koontz" (particles lose their case; a rare miss). */
function titleCase(s: string): string {
  return s.toLowerCase().replace(WORD_START, (_m, lead: string, letter: string) => lead + letter.toUpperCase());
}

const LAST_FIRST = /^([^,]+),\s*([^,]+)$/u;
const MULTI_SPLIT = /\s*(?:&|\band\b|,|;)\s*/u;
const SPACE = /\s+/u;

const SCORE_CACHE = new Map<string, NameScore>();
const SCORE_CACHE_SIZE = 4096;

/** Score of a (possibly multi-author) name. Never throws. */
export function nameScore(text: string): NameScore {
  // Libraries repeat author folders for every book, and one path asks about the same piece more than once.
  const cached = SCORE_CACHE.get(text);
  if (cached !== undefined) return cached;
  const score = computeScore(text);
  if (SCORE_CACHE.size >= SCORE_CACHE_SIZE) SCORE_CACHE.clear();
  SCORE_CACHE.set(text, score);
  return score;
}

function computeScore(text: string): NameScore {
  let s = text.trim();
  if (s.length === 0 || s.length > 120) return -1;
  if (NOT_NAME_CHARS.test(s)) return -1;
  // Scripts without letter case (CJK, Arabic, Hebrew...) give no shape to read.
  if (!CASED.test(s)) return 0;
  if (s === s.toUpperCase() || s === s.toLowerCase()) s = titleCase(s);
  const lastFirst = LAST_FIRST.exec(s);
  if (lastFirst && isLastFirst(lastFirst[1], lastFirst[2])) return 2;
  if (MULTI_SPLIT.test(s)) return multiScore(s);
  return singleScore(s);
}

/** "Koontz, Dean" becomes "Dean Koontz"; anything else is returned unchanged. */
export function displayName(text: string): string {
  const m = LAST_FIRST.exec(text.trim());
  if (m && isLastFirst(m[1], m[2])) return `${m[2].trim()} ${m[1].trim()}`;
  return text;
}

function isLastFirst(last: string, first: string): boolean {
  const lastTokens = last.trim().split(SPACE);
  const firstTokens = first.trim().split(SPACE);
  if (lastTokens.length > 2 || firstTokens.length > 3) return false;
  if (!lastTokens.every((t) => CAPWORD.test(t) || INNER_CAPS.test(t) || PARTICLES.has(t.toLowerCase()))) return false;
  if (lastTokens.some((t) => TITLE_WORDS.has(t.toLowerCase()))) return false;
  const head = firstTokens[0];
  if (!INITIALS.test(head) && !GIVEN_NAMES.has(head.toLowerCase())) return false;
  // "Kramer, Michael R." yes; "Michael Kramer, Kate Reading" is two people, not one reversed.
  return firstTokens.slice(1).every((t) => INITIALS.test(t));
}

function multiScore(s: string): NameScore {
  const pieces = s.split(MULTI_SPLIT).filter((p) => p.length > 0);
  if (pieces.length < 2 || pieces.some((p) => p.split(SPACE).length < 2)) return -1;
  let min: NameScore = 3;
  for (const piece of pieces) {
    const score = singleScore(piece);
    if (score < min) min = score;
  }
  return min < 1 ? -1 : min;
}

function singleScore(s: string): NameScore {
  const tokens = s.split(SPACE);
  if (tokens.length > 5) return -1;
  const lowerFirst = tokens[0].toLowerCase();
  if (tokens.length === 1) {
    if (TITLE_WORDS.has(lowerFirst) || ARTICLES.has(lowerFirst)) return -1;
    return CAPWORD.test(tokens[0]) ? 0 : -1;
  }
  if (ARTICLES.has(lowerFirst)) return -1;
  let initials = false;
  let surname = false;
  for (let i = 0; i < tokens.length; i++) {
    const kind = tokenKind(tokens[i], i);
    if (kind === "bad") return -1;
    if (kind === "initial") initials = true;
    if (kind === "word") surname = true;
  }
  const lastKind = tokenKind(tokens[tokens.length - 1], tokens.length - 1);
  if (!surname || lastKind === "initial" || lastKind === "particle") return -1;
  if (initials) return 3;
  return GIVEN_NAMES.has(lowerFirst) ? 2 : 1;
}

type TokenKind = "word" | "initial" | "particle" | "suffix" | "bad";

function tokenKind(token: string, index: number): TokenKind {
  const lower = token.toLowerCase();
  if (index === 0 && HONORIFICS.has(lower)) return "particle";
  if (index > 0 && SUFFIX.test(token)) return "suffix";
  if (index > 0 && PARTICLES.has(lower) && token === lower) return "particle";
  if (INITIALS.test(token)) return "initial";
  if (POSSESSIVE.test(token) || TITLE_WORDS.has(lower)) return "bad";
  if (CAPWORD.test(token) || INNER_CAPS.test(token)) return "word";
  if (index > 0 && PARTICLES.has(lower)) return "particle";
  return "bad";
}
