/**
 * Confidence math. A field's confidence grows with the weight behind its
 * winning value and with independent agreement, and shrinks with every
 * competing value; a book's confidence is a weighted mean of its fields (a missing
 * author or title counting 0), never above its author's.
 */
import { FIELD_NAMES, type FieldName } from "./fields.js";

/** How much each field counts towards a book's overall confidence. */
export const FIELD_CONFIDENCE_WEIGHTS: Readonly<Record<FieldName, number>> = {
  author: 30,
  title: 30,
  // Both follow from title and author, which already count.
  subtitle: 0,
  authors: 0,
  narrator: 15,
  series: 10,
  series_num: 5,
  language: 5,
  year: 3,
  edition: 1,
  variant: 1,
};

export const CONFLICT_PENALTY = 15;

/** Bonus when 2 / 3 / 4+ distinct sources agree on the winning value. */
export function agreementBonus(agreeingSources: number): number {
  if (agreeingSources >= 4) return 25;
  if (agreeingSources === 3) return 20;
  if (agreeingSources === 2) return 10;
  return 0;
}

/**
 * min(summed weight, 100) + agreement bonus − 15 per conflicting value,
 * clamped to 0..100 and rounded to a whole number.
 */
export function fieldConfidence(groupWeight: number, agreeingSources: number, conflictingValues: number): number {
  const raw = Math.min(groupWeight, 100) + agreementBonus(agreeingSources) - CONFLICT_PENALTY * conflictingValues;
  return Math.round(Math.min(100, Math.max(0, raw)));
}

/**
 * Weighted mean over the fields that have a value, plus the required ones (author, title) at 0 when they have
 * none, limited by the author's confidence (0 when there is no author). A book is filed under its writer, so a
 * sure title and narrator cannot lift an author that rests on a folder's guess ("Jack Reacher/03 - Tripwire"
 * with a title-only tag: author 40, title 100, is 40, not their mean 70), nor stand in for an author nobody
 * named; and a sure side field (a user's `--set series_num=1` at 100) cannot make a book without its title or
 * author look certain, whoever gave that field. The title is not a limit: where only the path names it, it is
 * the book's own folder or file name, which filing keeps ("Dean Koontz/Watchers" whose tags name only the
 * artist stays trusted); a title in doubt is caught by its conflicts (book-status.ts).
 */
export function overallConfidence(
  fields: Readonly<Record<FieldName, { value: string | null; confidence: number }>>,
): number {
  let sum = 0;
  let weights = 0;
  let weakest = 100;
  for (const name of FIELD_NAMES) {
    const field = fields[name];
    const known = field !== undefined && field.value !== null;
    if (!known && !REQUIRED_FIELDS.has(name)) continue;
    const confidence = known ? field.confidence : 0;
    sum += confidence * FIELD_CONFIDENCE_WEIGHTS[name];
    weights += FIELD_CONFIDENCE_WEIGHTS[name];
    if (LIMITING_FIELDS.has(name)) weakest = Math.min(weakest, confidence);
  }
  return weights === 0 ? 0 : Math.min(Math.round(sum / weights), Math.round(weakest));
}

/** The fields every book needs (the status rule's "no author" / "no title"): missing, they count at 0. */
const REQUIRED_FIELDS: ReadonlySet<FieldName> = new Set(["author", "title"]);
/** The fields a book's confidence may never exceed (a missing one at 0). */
const LIMITING_FIELDS: ReadonlySet<FieldName> = new Set(["author"]);
