import { FIELD_NAMES, type FieldName } from "../../src/domain/fields.js";
import type { LayerBook, LayerOutcome } from "../../src/pipeline/layer.js";

export function book(id: number, current: Partial<Record<FieldName, string | null>>, confidence = 30, tags: Record<string, string> | null = null): LayerBook {
  const values = Object.fromEntries(FIELD_NAMES.map((f) => [f, current[f] ?? null])) as Record<FieldName, string | null>;
  const profile = Object.fromEntries(
    FIELD_NAMES.map((f) => [f, { value: values[f], confidence: values[f] ? 40 : 0, sources: values[f] ? ["path"] : [] }]),
  ) as LayerBook["profile"];
  return { book_id: id, path: `/library/${id}`, kind: "folder", library_root: "/library", status: "pending", confidence, current: values, profile, files: [], tags };
}

export function claimsOf(outcome: LayerOutcome | undefined): Record<string, string> {
  if (!outcome || !("claims" in outcome)) throw new Error(`expected claims, got ${JSON.stringify(outcome)}`);
  return Object.fromEntries(outcome.claims.map((c) => [c.field, c.value]));
}

export function errorOf(outcome: LayerOutcome | undefined): string {
  if (!outcome || !("error" in outcome)) throw new Error(`expected an error outcome, got ${JSON.stringify(outcome)}`);
  return outcome.error;
}

export const signal = () => new AbortController().signal;
