/**
 * Whether a web source's search result is the book being looked up: title
 * and author similarity on folded text, so case, accents, punctuation,
 * subtitles, word order of names and small typos do not count against a match.
 */
import { foldText } from "../../domain/normalize.js";

/** What matching needs of a candidate. */
export interface MatchCandidate {
  title: string;
  authors: string[];
}

export interface MatchThresholds {
  /** Minimum title similarity, 0..1. */
  title: number;
  /** Minimum author similarity when both sides name authors, 0..1. */
  author: number;
}

/** Below this normalized title similarity a result is not the same book. */
export const MIN_TITLE_SIMILARITY = 0.85;
/** When both sides name an author, below this the result is someone else's book. */
export const MIN_AUTHOR_SIMILARITY = 0.6;
/** Longer text is compared by its start only: the edit distance is quadratic. */
const MAX_COMPARED_CHARS = 200;

export const DEFAULT_THRESHOLDS: MatchThresholds = { title: MIN_TITLE_SIMILARITY, author: MIN_AUTHOR_SIMILARITY };

/**
 * The convincing candidate that matches best, or null. Convincing: title
 * similarity at least `thresholds.title` and, when both sides name authors,
 * author similarity at least `thresholds.author`. Ties keep the API's order.
 */
export function pickBestCandidate<C extends MatchCandidate>(
  candidates: readonly C[],
  title: string,
  author: string | null,
  thresholds: MatchThresholds = DEFAULT_THRESHOLDS,
): C | null {
  let best: C | null = null;
  let bestScore = -1;
  for (const doc of candidates) {
    const titleScore = titleSimilarity(title, doc.title);
    if (titleScore < thresholds.title) continue;
    const authorScore = author === null || doc.authors.length === 0 ? null : authorSimilarity(author, doc.authors);
    if (authorScore !== null && authorScore < thresholds.author) continue;
    const score = titleScore + (authorScore ?? 0) / 2;
    if (score > bestScore) {
      best = doc;
      bestScore = score;
    }
  }
  return best;
}

const SUBTITLE = /:| - /;
/** Trailing bracketed parts: "Dune (Dune Chronicles, Book 1)", "The Way of Kings [Stormlight 1]", "Project Hail Mary (Unabridged)". */
const TRAILING_BRACKETS = /(?:\s*(?:\([^()]*\)|\[[^[\]]*\]|\{[^{}]*\}))+\s*$/;

/**
 * 0..1; subtitles, a series name before a colon and trailing bracketed series
 * or edition notes on either side ("Mistborn" or "The Final Empire" vs
 * "Mistborn: The Final Empire", "Dune" vs "Dune (Dune Chronicles, Book 1)")
 * do not count against.
 */
export function titleSimilarity(a: string, b: string): number {
  const variants = (s: string) => {
    const bare = s.replace(TRAILING_BRACKETS, "");
    const shown = bare === "" ? s : bare;
    const forms = shown === s ? [s] : [s, shown];
    // "Mistborn: The Well of Ascension" is also looked up as "The Well of Ascension" (a series name before the colon).
    return [...new Set([...forms, ...forms.flatMap((form) => form.split(SUBTITLE).slice(0, 2))].map(titleKey))];
  };
  const [fullA, ...restA] = variants(a);
  const [fullB, ...restB] = variants(b);
  let best = ratio(fullA!, fullB!);
  // A match without the subtitle counts a little less, so "Mistborn: The Well of Ascension"
  // prefers itself over "Mistborn: The Final Empire" when both come back.
  for (const x of [fullA!, ...restA]) for (const y of [fullB!, ...restB]) best = Math.max(best, ratio(x, y) * SUBTITLE_ONLY);
  return best;
}

const SUBTITLE_ONLY = 0.98;

const PEOPLE_SEPARATOR = /[;,&/]|\band\b|\bund\b/i;
/** People compared per side: a hostile name list ("a,a,a,…" from a tag, 30 authors from an API) stays cheap. */
const MAX_PEOPLE = 8;
/** A name is compared by its start only (the edit distance is quadratic); no real name is longer. */
const MAX_NAME_CHARS = 80;

/**
 * 0..1 against the closest doc author; word order and initials' punctuation do not matter.
 * Either side may name several people in one string ("Andy Weir; Ray Porter" in a tag,
 * "Brandon Sanderson, Mary Robinette Kowal" from an Audiobookshelf provider, "Terry Pratchett &
 * Neil Gaiman" from iTunes) or one person surname first ("Weir, Andy"): the whole and each part
 * are tried on both sides.
 */
export function authorSimilarity(queryAuthor: string, docAuthors: string[]): number {
  const queryKeys = peopleKeys([queryAuthor]);
  const docKeys = peopleKeys(docAuthors);
  let best = 0;
  for (const part of queryKeys) for (const docAuthor of docKeys) best = Math.max(best, ratio(part, docAuthor));
  return best;
}

function peopleKeys(names: readonly string[]): string[] {
  const keys = new Set<string>();
  for (const name of names.slice(0, MAX_PEOPLE)) {
    for (const part of [name, ...name.split(PEOPLE_SEPARATOR).slice(0, MAX_PEOPLE)]) {
      const key = authorKey(part.slice(0, MAX_NAME_CHARS));
      if (key !== "") keys.add(key);
    }
  }
  return [...keys];
}

const AMPERSAND = /&/g;
const LEADING_ARTICLE = /^(?:the|a|an) /;

/** "Pride & Prejudice" and "Pride and Prejudice" compare equal. */
function matchKey(s: string): string {
  return foldText(s.replace(AMPERSAND, " and "));
}

function titleKey(s: string): string {
  return matchKey(s).replace(LEADING_ARTICLE, "");
}

function authorKey(s: string): string {
  return matchKey(s).split(" ").sort().join("");
}

/** Levenshtein similarity: 1 - distance / longer length; 0 when either side is empty. */
function ratio(a: string, b: string): number {
  if (a === "" || b === "") return 0;
  if (a === b) return 1;
  const x = a.slice(0, MAX_COMPARED_CHARS);
  const y = b.slice(0, MAX_COMPARED_CHARS);
  let previous = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) {
      const substitution = previous[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1);
      row.push(Math.min(previous[j] + 1, row[j - 1] + 1, substitution));
    }
    previous = row;
  }
  return 1 - previous[y.length] / Math.max(x.length, y.length);
}
