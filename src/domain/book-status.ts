/**
 * The status rule: a book is identified only when we know who wrote what,
 * nothing looks suspicious, and the evidence is strong enough.
 */
import type { FieldName } from "./fields.js";

export const DEFAULT_CONFIDENCE_THRESHOLD = 60;

export type BookStatus = "identified" | "needs_attention";

export interface StatusDecision {
  status: BookStatus;
  reason: string | null;
}

/** Flags that keep a book from being identified, with the reason shown to users. */
export const BLOCKING_FLAGS: ReadonlyMap<string, string> = new Map([["author_equals_series", "author equals series"]]);

/** The part of a resolved profile the rule looks at (ResolvedProfile fits). */
export interface StatusInput {
  fields: Record<Extract<FieldName, "author" | "title">, { value: string | null }>;
  confidence: number;
  flags: readonly string[];
}

/** Every reason that applies is listed, joined by "; ", so users fix all at once. */
export function decideStatus(resolved: StatusInput, threshold: number = DEFAULT_CONFIDENCE_THRESHOLD): StatusDecision {
  if (!Number.isFinite(threshold) || threshold < 0 || threshold > 100) {
    throw new RangeError(`confidence threshold must be a number 0..100, got ${String(threshold)}`);
  }
  const reasons: string[] = [];
  if (resolved.fields.author.value === null) reasons.push("no author");
  if (resolved.fields.title.value === null) reasons.push("no title");
  for (const flag of resolved.flags) {
    const reason = BLOCKING_FLAGS.get(flag);
    if (reason !== undefined) reasons.push(reason);
  }
  if (resolved.confidence < threshold) {
    reasons.push(`confidence ${formatNumber(resolved.confidence)} below threshold ${formatNumber(threshold)}`);
  }
  return reasons.length === 0
    ? { status: "identified", reason: null }
    : { status: "needs_attention", reason: reasons.join("; ") };
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
