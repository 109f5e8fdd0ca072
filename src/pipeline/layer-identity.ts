/**
 * Identities of layers (see Layer.identity): what a layer's answers depend
 * on, reduced to a short string the store compares with the last run's.
 */
import { createHash } from "node:crypto";

/** Settings a layer's answers depend on, plus a revision bumped when its logic changes. */
export function settingsIdentity(revision: string, settings: Record<string, unknown>): string {
  return `${revision}:${createHash("sha256").update(stableJson(settings)).digest("hex").slice(0, 16)}`;
}

/** JSON with object keys sorted, so equal settings always hash alike. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value as object).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}
