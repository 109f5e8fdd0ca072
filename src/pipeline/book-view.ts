import { FIELD_NAMES, type FieldName } from "../domain/fields.js";
import { parseProfile, resolveProfile, type Profile, type ResolvedProfile } from "../domain/profile.js";
import type { BookRow } from "../store/books.js";
import type { LayerBook } from "./layer.js";

/** A stored book opened for a layer: the layer's view plus the full profile to merge into. */
export interface OpenBook {
  row: BookRow;
  profile: Profile;
  view: LayerBook;
}

export function openBook(row: BookRow): OpenBook {
  const profile = parseProfile(row.profile);
  const resolved = resolveProfile(profile);
  return { row, profile, view: toLayerBook(row, resolved) };
}

export function toLayerBook(row: BookRow, resolved: ResolvedProfile): LayerBook {
  const current = {} as LayerBook["current"];
  const profile = {} as LayerBook["profile"];
  for (const field of FIELD_NAMES) {
    const f = resolved.fields[field];
    current[field] = f.value;
    profile[field] = { value: f.value, confidence: f.confidence, sources: f.sources };
  }
  return {
    book_id: row.id,
    path: row.path,
    kind: row.kind,
    library_root: row.library_root,
    status: row.status,
    confidence: row.confidence,
    current,
    profile,
    files: parseJsonArray(row.files),
    tags: row.tags ? (JSON.parse(row.tags) as Record<string, string>) : null,
  };
}

function parseJsonArray(text: string): { path: string; size: number }[] {
  const value = JSON.parse(text) as unknown;
  return Array.isArray(value) ? (value as { path: string; size: number }[]) : [];
}

export const STORED_FIELDS = ["author", "title", "narrator", "series", "series_num", "year", "language"] as const satisfies readonly FieldName[];
