/**
 * How the books search compares text: one function for both sides (what is
 * indexed and what is typed) and for both ways a search reads (the trigram
 * index and books still queued for it), so a book is found the same whether or
 * not the index has caught up with it.
 *
 * - Full case folding, not ASCII only: `STRASSE` finds `Straße`, `σοφια` finds
 *   `ΣΟΦΙΑ`, the dotted `İstanbul` is found by `istanbul`.
 * - Canonical equivalence: a name written decomposed (`E` + U+0301, as macOS
 *   file names often are) is the same as the precomposed one.
 * - Diacritic-insensitive for the Latin, Greek and Cyrillic marks (U+0300-036F)
 *   and the few letters Unicode does not decompose (ø, ł, đ, æ, œ): most
 *   people type `Bronte` and `Emile`. Marks of other scripts (Devanagari vowel
 *   signs, Arabic and Hebrew points) stay: they are letters there.
 */
const UNDECOMPOSED: Record<string, string> = { ø: "o", ł: "l", đ: "d", ħ: "h", æ: "ae", œ: "oe", ŀ: "l" };
const UNDECOMPOSED_RE = /[øłđħæœŀ]/g;
const LATIN_GREEK_CYRILLIC_MARKS = /[\u0300-\u036f]/g;

const ASCII = /^[\x00-\x7f]*$/;

export function searchFold(text: string): string {
  // Most names are ASCII: lower-casing is the whole fold there (indexing 100,000 books took 4x longer without this).
  if (ASCII.test(text)) return text.toLowerCase();
  // Upper then lower: the full folds (ß -> SS -> ss, ﬁ -> FI -> fi, final ς -> Σ -> σ, dotless ı -> I -> i)
  // that lower-casing alone misses. NFD first so marks come apart from their letters, NFC last so other
  // scripts (Hangul syllables) compare as written.
  return text
    .normalize("NFD")
    .toUpperCase()
    .toLowerCase()
    .normalize("NFD")
    .replace(LATIN_GREEK_CYRILLIC_MARKS, "")
    .replace(UNDECOMPOSED_RE, (c) => UNDECOMPOSED[c]!)
    .normalize("NFC");
}
